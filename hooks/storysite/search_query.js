/* Prepended by hooks/storysite to Material's search worker (see site_build.stem_search_queries).
 *
 * Material adds a trailing wildcard to every search term for type-ahead ("lommedalen" becomes
 * "lommedalen*"), and lunr does not stem wildcard terms, while the index holds stems
 * ("lommedal"). With the Norwegian stemmer on, whole words then found nothing. This listener runs
 * before Material's own: it replaces each plain word of a query with its stem, so "Lommedalen"
 * searches "lommedal*" and "historiene" finds "historie" and "historier" too.
 */
self.addEventListener("message", function (event) {
  var message = event.data;
  var lunr = self.lunr;
  if (!message || message.type !== 2 || typeof message.data !== "string" || !lunr) return;
  var languages = Object.keys(lunr).filter(function (key) {
    return lunr[key] && typeof lunr[key].stemmer === "function";
  });
  if (!languages.length) return;
  var stemmer = lunr[languages[0]].stemmer;
  message.data = message.data.replace(/(^|[\s"+\-])([\p{L}\p{N}]{3,})(?=$|[\s"~^*])/gu, function (match, before, word) {
    var stem = stemmer(new lunr.Token(word.toLowerCase())).toString();
    return before + (stem || word);
  });
});

/* Prepended by hooks/storysite to Material's search worker (see theme.stem_search_queries).
 *
 * The site's search is Norwegian (lunr.no), and lunr.no trims from every word each character that is not a
 * Latin letter: a word in Arabic, Urdu, Ukrainian or Tigrinya, from a story's version in that language,
 * became an empty word and could not be found. Once Material has loaded lunr's Norwegian support, this
 * gives it a trimmer that keeps the letters, marks and digits of every script (Unicode classes), so the
 * versions' words are indexed and searched as written; the Norwegian stemmer leaves words in other
 * scripts as they are.
 */
(function () {
  var load = self.importScripts;
  function keepEveryScript() {
    var lunr = self.lunr;
    if (!lunr || !lunr.no || lunr.no.everyScript) return;
    lunr.no.trimmer = function (token) {
      return token.update(function (text) {
        return text.replace(/^[^\p{L}\p{M}\p{N}]+/u, "").replace(/[^\p{L}\p{M}\p{N}]+$/u, "");
      });
    };
    lunr.Pipeline.registeredFunctions["trimmer-no"] = lunr.no.trimmer;
    lunr.no.trimmer.label = "trimmer-no";
    lunr.no.everyScript = true;
  }
  self.importScripts = function () {
    var result = load.apply(self, arguments);
    keepEveryScript();
    return result;
  };
})();

/* Prepended by hooks/storysite to Material's search worker (see theme.stem_search_queries).
 *
 * The site's search is Norwegian (lunr.no), and lunr.no trims from every word each character that is not a
 * Latin letter: a word in Arabic, Urdu, Ukrainian or Tigrinya, from a story's version in that language,
 * became an empty word and could not be found. Once Material has loaded lunr's Norwegian support, this
 * gives it a trimmer that keeps the letters, marks and digits of every script (Unicode classes), so the
 * versions' words are indexed and searched as written; the Norwegian stemmer leaves words in other
 * scripts as they are.
 *
 * Only the bokmål text is stemmed the Norwegian way (the stories and their lettlest versions): while a
 * version in another language (historier/<slug>/<code>/) is added to the index, the Norwegian stemmer
 * leaves its words whole, so English, Polish, Somali and nynorsk words are indexed as written. Queries
 * are still stemmed (search_query.js); a stem is always the start of its word, so Material's
 * trailing wildcard still finds the whole words.
 */
(function () {
  var load = self.importScripts;
  var OTHER_LANGUAGE = /^historier\/[^\/#?]+\/([a-z]{2,3}(?:-[a-z0-9]{1,8})*)\/(?:[#?]|$)/;
  var BOKMAL = ["nb", "nb-x-lettlest"];
  var unstemmed = false;  // true while a version in another language than bokmål is added

  function stemBokmalOnly(lunr) {
    var add = lunr.Builder.prototype.add;
    lunr.Builder.prototype.add = function (doc, attributes) {
      var match = OTHER_LANGUAGE.exec(String((doc && doc.location) || ""));
      unstemmed = Boolean(match) && BOKMAL.indexOf(match[1]) === -1;
      try {
        return add.call(this, doc, attributes);
      } finally {
        unstemmed = false;
      }
    };
    var stem = lunr.no.stemmer;
    lunr.no.stemmer = function (token) {
      return unstemmed ? token : stem.apply(this, arguments);
    };
    lunr.Pipeline.registeredFunctions["stemmer-no"] = lunr.no.stemmer;
    lunr.no.stemmer.label = "stemmer-no";
  }

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
    stemBokmalOnly(lunr);
    lunr.no.everyScript = true;
  }
  self.importScripts = function () {
    var result = load.apply(self, arguments);
    keepEveryScript();
    return result;
  };
})();

/* The site's own page script, loaded once near the end of every page (overrides/main.html): after
 * Material's scripts in <head>, which define __md_set, and before Material's bundle. It is a file
 * rather than an inline <script> so that the Content-Security-Policy (hooks/storysite/csp.py) lets
 * it run as the site's own code, with no hash to keep up to date.
 */

/* Material writes the colour theme to the reader's browser (localStorage) as soon as a page loads.
 * The electronic communications act (ekomloven § 3-15) allows storing only what is strictly
 * necessary for a service the reader asks for, so the theme is stored only after the reader has
 * switched it with the theme button. This runs before Material's bundle, which calls __md_set
 * (defined in Material's <head>) each time it applies a theme.
 */
(function () {
  var store = window.__md_set;
  var chosen = false;
  if (typeof store !== "function") return;
  document.addEventListener("change", function (event) {
    if (event.target && event.target.name === "__palette") chosen = true;
  }, true);
  window.__md_set = function (key) {
    if (key === "__palette" && !chosen) return;
    return store.apply(this, arguments);
  };
})();

/* The site's own page scripts, loaded once near the end of every page (overrides/main.html): after
 * Material's scripts in <head>, which define __md_set, and before Material's bundle. They are a file
 * rather than inline <script>s so that the Content-Security-Policy (hooks/storysite/csp.py) lets
 * them run as the site's own code, with no hash to keep up to date.
 */

/* The skip link (partials/skip-link.html) points at #innhold. Material's markup has no id on the
 * content area, so give the content area that id and let it take focus (tabindex -1: focusable,
 * but not a Tab stop).
 */
document.addEventListener("DOMContentLoaded", function () {
  var content = document.querySelector(".md-content__inner");
  if (content && !document.getElementById("innhold")) {
    content.id = "innhold";
    content.tabIndex = -1;
  }
});

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

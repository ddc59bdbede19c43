/* The declaration's village picker (sciaid/projects/widgets.py): show the filter box, hide the villages and
   townships that do not match what is typed (name or pinyin), open the townships that do, and count the chosen
   villages. No request leaves the page. */
(function () {
  function normalise(text) {
    return (text || "").toLowerCase().replace(/\s+/g, "");
  }
  document.querySelectorAll("[data-village-picker]").forEach(function (picker) {
    var filter = picker.querySelector(".village-filter");
    var count = picker.querySelector(".village-count strong");
    var townships = Array.prototype.slice.call(picker.querySelectorAll("details.township"));
    function refresh() {
      var query = normalise(filter.value);
      townships.forEach(function (township) {
        var whole = query && normalise(township.dataset.search).indexOf(query) >= 0;
        var shown = 0;
        township.querySelectorAll("label.village").forEach(function (village) {
          var match = !query || whole || village.dataset.search.split(" ").some(function (word) {
            return normalise(word).indexOf(query) >= 0;
          });
          village.hidden = !match;
          shown += match ? 1 : 0;
        });
        township.hidden = shown === 0;
        township.open = query ? shown > 0 : township.querySelector("input:checked") !== null;
      });
    }
    function recount() {
      count.textContent = picker.querySelectorAll("input[type=checkbox]:checked").length;
    }
    filter.hidden = false;
    filter.addEventListener("input", refresh);
    filter.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();  // Enter filters; it must not submit the declaration half-filled.
      }
    });
    picker.addEventListener("change", recount);
  });
})();

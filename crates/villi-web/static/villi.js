// Small enhancements only; every page works without this file.
(function () {
  "use strict";
  // On the booking page, show times in the visitor's own zone the first time.
  var filters = document.getElementById("filters");
  var select = document.getElementById("tz");
  if (!filters || !select || filters.getAttribute("data-tz-given") === "yes") return;
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  if (!zone || select.value === zone) return;
  for (var i = 0; i < select.options.length; i++) {
    if (select.options[i].value === zone) {
      select.value = zone;
      filters.submit();
      return;
    }
  }
})();

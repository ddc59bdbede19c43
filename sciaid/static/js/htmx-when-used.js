/* htmx (16 KB compressed) only on the pages that use it: the few whose elements ask the server for fragments
   (hx-get, hx-post…). Every other page, on a village phone, is spared the download. base.html gives htmx's
   fingerprinted address in data-htmx. Loaded after the page was parsed, htmx may have missed DOMContentLoaded (it
   starts itself only before it, or once the page is complete): it is asked to process the page when it arrives,
   which it does once whichever way it started. */
(function () {
  "use strict";
  var REQUESTS = "[hx-get],[hx-post],[hx-put],[hx-patch],[hx-delete],[hx-boost]," +
    "[data-hx-get],[data-hx-post],[data-hx-put],[data-hx-patch],[data-hx-delete],[data-hx-boost]";
  var address = document.currentScript.dataset.htmx;
  if (document.querySelector(REQUESTS)) {
    var script = document.createElement("script");
    script.src = address;
    script.onload = function () { window.htmx.process(document.body); };
    document.head.appendChild(script);
  }
})();

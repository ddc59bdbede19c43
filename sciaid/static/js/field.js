/* Forms filled in the field, on a phone whose connection comes and goes (the demand form, the service log).

   The form holding a [data-draft-notice] element (templates/includes/offline_draft.html, which also gives the
   translated messages as data attributes) gets:
   - a draft in localStorage, saved as the user types and restored, with a notice and a "discard" button, on load;
   - submission by fetch: when the network is down (navigator.onLine false, or the request cannot reach the server)
     the draft is kept, the user is told, and the form is sent by itself on the browser's 'online' event; then the
     draft is cleared and the user is told what happened. The server's own answer (its redirect after saving, or
     the form again with its errors) is shown as a normal submission would. The CSRF token travels in the form data;
   - photos resized on the phone before they are sent: longest side 1600 px, JPEG at quality 0.8.
   The draft holds the typed fields; chosen photos wait in the page's memory, so they are sent with it as long as the
   page stays open. */
(function () {
  "use strict";
  var MAX_EDGE = 1600;
  var QUALITY = 0.8;
  var SAVE_DELAY_MS = 400;
  var RETRY_MS = 30000;

  function draftKey(form, notice) {
    var path = location.pathname.replace(/^\/en(?=\/)/, "");
    return "sciaid:draft:" + notice.dataset.user + ":" + path + ":" + (form.getAttribute("action") || "");
  }

  function draftFields(form) {
    return Array.prototype.filter.call(form.elements, function (element) {
      return element.name && element.name !== "csrfmiddlewaretoken" && !element.disabled &&
        ["file", "submit", "button", "reset", "hidden", "password"].indexOf(element.type) < 0;
    });
  }

  function readForm(form) {
    var values = {};
    draftFields(form).forEach(function (element) {
      if (element.type === "select-multiple") {
        values[element.name] = Array.prototype.filter.call(element.options, function (option) {
          return option.selected;
        }).map(function (option) { return option.value; });
      } else if (element.type === "checkbox" || element.type === "radio") {
        var chosen = values[element.name] || [];
        if (element.checked) { chosen.push(element.value); }
        values[element.name] = chosen;
      } else {
        values[element.name] = element.value;
      }
    });
    return values;
  }

  function fillForm(form, values) {
    draftFields(form).forEach(function (element) {
      if (!(element.name in values)) { return; }
      var value = values[element.name];
      if (element.type === "select-multiple") {
        Array.prototype.forEach.call(element.options, function (option) {
          option.selected = value.indexOf(option.value) >= 0;
        });
      } else if (element.type === "checkbox" || element.type === "radio") {
        element.checked = value.indexOf(element.value) >= 0;
      } else {
        element.value = value;
      }
    });
  }

  function sameValues(first, second) {
    return JSON.stringify(first) === JSON.stringify(second);
  }

  /* One picture made smaller: drawn on a canvas at most MAX_EDGE pixels on its longest side, saved as JPEG. A file
     the browser cannot decode is sent as it is; the server checks it. */
  function resizePhoto(file) {
    if (!/^image\//.test(file.type) || file.type === "image/gif" || !window.createImageBitmap) {
      return Promise.resolve(file);
    }
    return createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(1, MAX_EDGE / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      bitmap.close();
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          if (!blob || (scale === 1 && blob.size >= file.size)) { resolve(file); return; }
          resolve(new File([blob], file.name.replace(/\.\w+$/, "") + ".jpg", {type: "image/jpeg"}));
        }, "image/jpeg", QUALITY);
      });
    }).catch(function () { return file; });
  }

  /* Replace the files of a file input by their resized copies, so that whatever sends the form sends those. */
  function resizeInput(input) {
    var files = Array.prototype.slice.call(input.files);
    return Promise.all(files.map(resizePhoto)).then(function (resized) {
      if (!window.DataTransfer) { return; }
      var transfer = new DataTransfer();
      resized.forEach(function (file) { transfer.items.add(file); });
      input.files = transfer.files;
    });
  }

  function setUp(notice) {
    var form = notice.closest("form");
    var key = draftKey(form, notice);
    var text = notice.querySelector("[data-draft-text]");
    var discard = notice.querySelector("[data-draft-discard]");
    var link = notice.querySelector("[data-draft-link]");
    var resizing = Promise.resolve();
    var saveTimer = null;
    var waiting = false;

    function tell(message, withDiscard, url) {
      text.textContent = message;
      discard.hidden = !withDiscard;
      link.hidden = !url;
      if (url) { link.href = url; }
      notice.hidden = false;
      notice.scrollIntoView({block: "nearest"});
    }

    function saveDraft() {
      try {
        localStorage.setItem(key, JSON.stringify({saved: Date.now(), values: readForm(form)}));
      } catch (error) { /* storage full or refused: the form still works, without a draft */ }
    }

    function clearDraft() {
      localStorage.removeItem(key);
    }

    function showServerAnswer(response) {
      return response.text().then(function (html) {
        document.open();
        document.write(html);
        document.close();
      });
    }

    function send(automatic) {
      return resizing.then(function () {
        return fetch(form.action || location.href, {
          method: "POST", body: new FormData(form), credentials: "same-origin"
        });
      }).then(function (response) {
        var loggedOut = new URL(response.url).pathname.indexOf(notice.dataset.login) >= 0;
        if (response.redirected && response.ok && !loggedOut) {
          clearDraft();
          if (!automatic) { location.assign(response.url); return; }
          form.reset();
          Array.prototype.forEach.call(form.querySelectorAll("input[type=file]"), function (input) {
            input.value = "";
          });
          tell(notice.dataset.sent, false, response.url);
          return;
        }
        return showServerAnswer(response);  // the form with its errors, the login page, a refusal: the draft stays
      }, function () {
        waitForNetwork();
      });
    }

    /* Send again when the browser says the network is back, or, when it believes it never left (a dead link
       behind a live Wi-Fi), after a while. */
    function waitForNetwork() {
      saveDraft();
      tell(notice.dataset.offline, false);
      if (waiting) { return; }
      waiting = true;
      function retry() {
        if (!waiting) { return; }
        waiting = false;
        window.removeEventListener("online", retry);
        send(true);
      }
      window.addEventListener("online", retry);
      if (navigator.onLine) { setTimeout(retry, RETRY_MS); }
    }

    var stored = null;
    try { stored = JSON.parse(localStorage.getItem(key) || "null"); } catch (error) { stored = null; }
    if (stored && stored.values) {
      var current = readForm(form);
      fillForm(form, stored.values);
      if (!sameValues(current, readForm(form))) { tell(notice.dataset.restored, true); }
    }

    form.addEventListener("input", function () {
      clearTimeout(saveTimer);
      saveTimer = setTimeout(saveDraft, SAVE_DELAY_MS);
    });
    form.addEventListener("change", function (event) {
      saveDraft();
      if (event.target.type === "file") {
        resizing = resizing.then(function () { return resizeInput(event.target); });
      }
    });
    discard.addEventListener("click", function () {
      clearDraft();
      form.reset();
      notice.hidden = true;
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(saveTimer);
      saveDraft();
      if (!navigator.onLine) { waitForNetwork(); return; }
      form.querySelectorAll("[type=submit]").forEach(function (button) { button.disabled = true; });
      send(false).then(function () {
        form.querySelectorAll("[type=submit]").forEach(function (button) { button.disabled = false; });
      });
    });
  }

  document.querySelectorAll("[data-draft-notice]").forEach(setUp);
})();

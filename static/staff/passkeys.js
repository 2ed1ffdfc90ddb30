/* Passkeys on the staff second-factor pages: add one (data-passkey="register") or give the second
 * factor with one (data-passkey="authenticate"). Each such form names its two JSON endpoints: the
 * first returns the options for the browser, the second checks the authenticator's answer and
 * returns where to go next. Messages come translated from the form's data-message-* attributes.
 * Needs the vendored @simplewebauthn/browser (window.SimpleWebAuthnBrowser). */
(function () {
  "use strict";

  var webauthn = window.SimpleWebAuthnBrowser;

  function postJSON(url, form, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": form.querySelector("input[name=csrfmiddlewaretoken]").value,
      },
      body: JSON.stringify(body),
    }).then(function (response) {
      return response.json().then(
        function (data) { return { ok: response.ok, data: data }; },
        function () { return { ok: false, data: {} }; }
      );
    });
  }

  function fieldValue(form, name) {
    var field = form.querySelector("[name=" + name + "]");
    return field ? field.value : "";
  }

  function setUp(form) {
    var mode = form.dataset.passkey;
    var status = form.querySelector(".staff-passkey-status");
    var button = form.querySelector("button[type=submit]");

    function fail(message) {
      status.textContent = message || form.dataset.messageFailed;
      status.hidden = false;
      button.disabled = false;
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      status.hidden = true;
      button.disabled = true;
      var extra = mode === "register" ? { name: fieldValue(form, "name") } : { next: fieldValue(form, "next") };
      postJSON(form.dataset.beginUrl, form, extra)
        .then(function (begin) {
          if (begin.data.reauthenticate) {
            window.location.assign(begin.data.reauthenticate);
            return null;
          }
          if (!begin.ok) {
            fail(begin.data.error);
            return null;
          }
          var ceremony = mode === "register" ? webauthn.startRegistration : webauthn.startAuthentication;
          return ceremony({ optionsJSON: begin.data.options }).then(
            function (credential) {
              extra.credential = credential;
              return postJSON(form.dataset.completeUrl, form, extra).then(function (done) {
                if (done.ok && done.data.redirect) {
                  window.location.assign(done.data.redirect);
                } else {
                  fail(done.data.error);
                }
              });
            },
            function () {
              // Cancelled, timed out, or no matching passkey on this device.
              fail(form.dataset.messageCancelled);
            }
          );
        })
        .catch(function () { fail(); });
    });
    form.hidden = false;
  }

  function start() {
    var forms = document.querySelectorAll("form[data-passkey]");
    if (!webauthn || !webauthn.browserSupportsWebAuthn()) {
      document.querySelectorAll(".staff-passkey-unsupported").forEach(function (note) { note.hidden = false; });
      return;
    }
    forms.forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

// Passkeys (WebAuthn) on the kit's pages, with @simplewebauthn/browser (assets/webauthn.js, global
// SimpleWebAuthnBrowser). A form marked data-au-passkey asks its data-au-options URL for the
// ceremony's options (JSON, with the form's CSRF token and password), lets the browser make or use the
// passkey, puts the answer in the form's `response` field and submits the form: the server answers
// with a page as for any form. Served as a file, not inline, so the pages work under a strict CSP.
(function () {
  var lib = window.SimpleWebAuthnBrowser;
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!form || !form.matches || !form.matches('form[data-au-passkey]')) return;
    var response = form.querySelector('input[name="response"]');
    if (response && response.value) return; // the answer is in: let the form go
    event.preventDefault();
    var error = form.querySelector('[data-au-passkey-error]');
    if (error && !error.hasAttribute('data-default')) error.setAttribute('data-default', error.textContent);
    var fail = function (message) {
      if (!error) return;
      error.textContent = message || error.getAttribute('data-default');
      error.hidden = false;
    };
    if (error) error.hidden = true;
    if (!lib || !lib.browserSupportsWebAuthn()) return fail();
    var body = {};
    ['_csrf', 'currentPassword'].forEach(function (name) {
      var input = form.querySelector('input[name="' + name + '"]');
      if (input && input.value) body[name] = input.value;
    });
    var kind = form.getAttribute('data-au-passkey');
    fetch(form.getAttribute('data-au-options'), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
    })
      .then(function (res) {
        return res.json().then(function (json) {
          if (!res.ok) {
            var field = json && json.error && json.error.fields && json.error.fields[0];
            var refused = new Error((field && field.message) || (json && json.error && json.error.message) || '');
            refused.fromServer = true;
            throw refused;
          }
          return json.options;
        });
      })
      .then(function (options) {
        return kind === 'register' ? lib.startRegistration({ optionsJSON: options }) : lib.startAuthentication({ optionsJSON: options });
      })
      .then(function (answer) {
        response.value = JSON.stringify(answer);
        form.submit();
      })
      .catch(function (err) {
        // The server's refusals are in the page's language; the browser's own (cancelled, timed out) get the page's notice.
        fail(err && err.fromServer ? err.message : '');
      });
  });
})();

// "All permissions" toggle. Served as a file (not inline) so kit pages work under a strict CSP.
// The box is sent as itself (it also covers permissions added later), so ticking every box one by
// one does not tick it; unticking one box does untick it. A box marked data-au-apart (Manage
// Users) is granted only by itself and is left alone both ways.
document.addEventListener('change', function (event) {
  var box = event.target;
  if (!box || !box.matches) return;
  var form = box.form;
  if (!form) return;
  if (box.matches('[data-au-toggle-all]')) {
    var name = box.getAttribute('data-au-toggle-all');
    form.querySelectorAll('input[type=checkbox][name="' + name + '"]:not([data-au-apart])').forEach(function (c) { c.checked = box.checked; });
  } else if (box.name && !box.checked && !box.matches('[data-au-apart]')) {
    var all = form.querySelector('[data-au-toggle-all="' + box.name + '"]');
    if (all) all.checked = false;
  }
});

// Preset buttons: each is a submit button the server answers with the boxes ticked (no JavaScript
// needed); here it ticks exactly the preset's permissions in place instead, without a round trip.
document.addEventListener('click', function (event) {
  var button = event.target && event.target.closest ? event.target.closest('button[data-au-preset]') : null;
  if (!button || !button.form) return;
  event.preventDefault();
  var keys = button.getAttribute('data-au-preset').split(' ');
  var boxes = button.form.querySelectorAll('input[type=checkbox][name="permissions"]');
  boxes.forEach(function (c) { c.checked = keys.indexOf(c.value) !== -1; });
  var all = button.form.querySelector('[data-au-toggle-all="permissions"]');
  if (all) all.checked = button.hasAttribute('data-au-preset-all');
});

// A file input of the roster or the bulk invitation form: the file is read into the form's text box,
// which is what the form sends (the page works without JavaScript too: the text is pasted). Nothing
// leaves the browser here.
document.addEventListener('change', function (event) {
  var input = event.target;
  if (!input || !input.matches || !input.matches('input[type=file][data-au-read-into]') || !input.files || !input.files[0]) return;
  var target = document.getElementById(input.getAttribute('data-au-read-into'));
  if (!target) return;
  input.files[0].text().then(function (text) { target.value = text; });
});

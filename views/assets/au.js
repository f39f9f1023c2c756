// "All permissions" toggle. Served as a file (not inline) so kit pages work under a strict CSP.
document.addEventListener('change', function (event) {
  var box = event.target;
  if (!box || !box.matches) return;
  var form = box.form;
  if (!form) return;
  if (box.matches('[data-au-toggle-all]')) {
    var name = box.getAttribute('data-au-toggle-all');
    form.querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(function (c) { c.checked = box.checked; });
  } else if (box.name) {
    var all = form.querySelector('[data-au-toggle-all="' + box.name + '"]');
    if (all) all.checked = Array.prototype.every.call(form.querySelectorAll('input[type=checkbox][name="' + box.name + '"]'), function (c) { return c.checked; });
  }
});

// What JavaScript adds to Målkedja's pages. Every page works without it; this only helps.
//
// A form marked data-unsaved-warning asks before its page is left with changes that are
// not saved (closing the tab, following a link, going back). Saving the form does not ask.
(function () {
  'use strict';
  var dirty = false;
  document.querySelectorAll('form[data-unsaved-warning]').forEach(function (form) {
    form.addEventListener('input', function () { dirty = true; });
    form.addEventListener('change', function () { dirty = true; });
    form.addEventListener('submit', function () { dirty = false; });
  });
  window.addEventListener('beforeunload', function (event) {
    if (!dirty) return;
    event.preventDefault();
    // Older browsers show the dialog only when returnValue is set.
    event.returnValue = '';
  });
}());

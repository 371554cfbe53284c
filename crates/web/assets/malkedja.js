// What JavaScript adds to Målkedja's pages. Every page works without it; this only helps.
//
// A form marked data-unsaved-warning asks before its page is left with changes that are
// not saved (closing the tab, following a link, going back). Saving the form does not ask,
// unless another form on the page (a report has one per goal, indicator and activity) has
// changes of its own that would be lost.
(function () {
  'use strict';
  var dirty = [];
  document.querySelectorAll('form[data-unsaved-warning]').forEach(function (form) {
    var mark = function () { if (dirty.indexOf(form) < 0) dirty.push(form); };
    form.addEventListener('input', mark);
    form.addEventListener('change', mark);
    form.addEventListener('submit', function () {
      dirty = dirty.filter(function (f) { return f !== form; });
    });
  });
  window.addEventListener('beforeunload', function (event) {
    if (dirty.length === 0) return;
    event.preventDefault();
    // Older browsers show the dialog only when returnValue is set.
    event.returnValue = '';
  });
}());

// The grid of a manual receipt, issue or transfer: Enter moves to the next
// cell (a scanner ends each code with Enter), a new line appears after the
// last one, Ctrl+S posts.
(function () {
  "use strict";

  function cells(form) {
    return Array.prototype.slice.call(
      form.querySelectorAll("[data-move-rows] input:not([type=hidden]), [data-move-rows] select")
    );
  }

  function addRow(form) {
    var total = form.querySelector("input[name$='-TOTAL_FORMS']");
    var template = form.querySelector("template[data-move-row-template]");
    if (!total || !template) {
      return null;
    }
    var index = parseInt(total.value, 10);
    var holder = document.createElement("tbody");
    holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
    var row = holder.querySelector("tr[data-move-row]");
    form.querySelector("[data-move-rows]").appendChild(row);
    total.value = String(index + 1);
    return row;
  }

  function init(form) {
    form.addEventListener("keydown", function (event) {
      if ((event.ctrlKey || event.metaKey) && event.key === "s") {
        event.preventDefault();
        form.requestSubmit();
        return;
      }
      var target = event.target;
      if (event.key !== "Enter" || !target.closest("[data-move-rows]")) {
        return;
      }
      event.preventDefault();
      var all = cells(form);
      var position = all.indexOf(target);
      if (position === all.length - 1) {
        var row = addRow(form);
        if (row) {
          row.querySelector("input, select").focus();
        }
        return;
      }
      all[position + 1].focus();
    });
    var button = form.querySelector("[data-add-move-row]");
    if (button) {
      button.addEventListener("click", function () {
        var row = addRow(form);
        if (row) {
          row.querySelector("input, select").focus();
        }
      });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-move-grid]").forEach(init);
  });
})();

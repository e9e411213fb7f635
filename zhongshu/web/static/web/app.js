// Small behaviours of the shell; everything works without them, only slower.
(function () {
  "use strict";

  // A <select data-autosubmit> submits its form on change (company switcher).
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit")) {
      target.form.requestSubmit();
    }
  });

  // The menu drawer on narrow screens.
  function setNav(open) {
    document.body.classList.toggle("nav-open", open);
    document.querySelectorAll("button[data-nav-toggle]").forEach(function (button) {
      button.setAttribute("aria-expanded", String(open));
    });
    document.querySelectorAll(".nav-backdrop").forEach(function (backdrop) {
      backdrop.hidden = !open;
    });
  }
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest("[data-nav-toggle]");
    if (toggle) {
      setNav(!document.body.classList.contains("nav-open"));
    }
    var copy = event.target.closest("[data-copy]");
    if (copy && navigator.clipboard) {
      var source = document.querySelector(copy.getAttribute("data-copy"));
      if (source) {
        navigator.clipboard.writeText(source.textContent.trim());
        copy.classList.add("is-done");
      }
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      setNav(false);
    }
  });
})();

// The store counter (零售 POS): a USB scanner types a code and Enter into
// the scan field; every change to the cart posts and gets back the priced
// cart from the server, one request after another (a scanner types faster
// than answers come back). Keys: Enter adds, + / - change the last line's
// quantity, Del removes it, F2 opens the payment panel, F9 or Ctrl+Enter
// completes, Esc goes back to scanning. Money is counted in fen (integers).
(function () {
  "use strict";
  var root = document.getElementById("pos");
  var scanForm = document.getElementById("pos-scan");
  if (!root || !scanForm || !window.fetch) { return; }
  var barcode = scanForm.elements.barcode;
  var state = document.getElementById("pos-state");
  var payPanel = document.getElementById("pos-pay");
  var payForm = document.getElementById("pos-pay-form");
  var discountForm = document.getElementById("pos-discount");
  var cartUrl = root.getAttribute("data-cart-url");
  var token = scanForm.elements.csrfmiddlewaretoken.value;
  var queue = Promise.resolve();
  var paying = false;

  function fen(text) {
    var clean = String(text || "").replace(/[\s,]/g, "").replace("，", "");
    if (clean === "") { return 0; }
    if (!/^\d*(\.\d{0,2})?$/.test(clean)) { return NaN; }
    return Math.round(parseFloat(clean) * 100);
  }

  function yuan(value) {
    return (value / 100).toFixed(2);
  }

  function current() {
    return state.querySelector("[data-state]");
  }

  function due() {
    var node = current();
    return node ? fen(node.getAttribute("data-total")) : 0;
  }

  function lineCount() {
    var node = current();
    return node ? parseInt(node.getAttribute("data-lines"), 10) || 0 : 0;
  }

  function updateChange() {
    var total = due();
    var paid = 0;
    var valid = true;
    payForm.querySelectorAll("[data-pay]").forEach(function (input) {
      var value = fen(input.value);
      if (isNaN(value)) { valid = false; } else { paid += value; }
    });
    document.getElementById("pos-due").textContent = yuan(total);
    var change = document.getElementById("pos-change");
    var short = document.getElementById("pos-short");
    change.textContent = valid && paid > total ? yuan(paid - total) : "0.00";
    short.hidden = !valid || paid >= total || paid === 0;
    short.querySelector("strong").textContent = yuan(Math.max(total - paid, 0));
  }

  function flashError() {
    barcode.classList.add("pos-flash");
    window.setTimeout(function () { barcode.classList.remove("pos-flash"); }, 1500);
  }

  function showPay(open) {
    paying = open && lineCount() > 0;
    payPanel.hidden = !paying;
    if (paying) {
      updateChange();
      payForm.elements.pay_cash.focus();
    } else {
      barcode.focus();
    }
  }

  function afterSwap() {
    var node = current();
    if (!node) { return; }
    if (node.hasAttribute("data-completed")) {
      payForm.reset();
      discountForm.elements.discount.value = "";
      showPay(false);
    } else if (node.hasAttribute("data-error")) {
      flashError();
    }
    updateChange();
    if (!paying) { barcode.focus(); }
  }

  function failed() {
    var message = document.createElement("div");
    message.className = "alert alert-error";
    message.setAttribute("role", "alert");
    message.setAttribute("data-pos-error", "");
    message.textContent = root.getAttribute("data-failed");
    var box = state.querySelector(".pos-message");
    if (box) { box.innerHTML = ""; box.appendChild(message); }
    flashError();
  }

  function send(url, data) {
    queue = queue.then(function () {
      return fetch(url, {
        method: "POST", body: data, credentials: "same-origin",
        headers: {"HX-Request": "true"}
      }).then(function (response) {
        if (!response.ok) { throw new Error(response.statusText); }
        return response.text();
      }).then(function (html) {
        state.innerHTML = html;
        afterSwap();
      });
    }).catch(failed);
    return queue;
  }

  function change(fields) {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", token);
    Object.keys(fields).forEach(function (key) { data.append(key, fields[key]); });
    return send(cartUrl, data);
  }

  scanForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var code = barcode.value.trim();
    barcode.value = "";
    barcode.focus();
    if (!code) { return; }
    var data = new FormData(scanForm);
    data.set("barcode", code);
    send(scanForm.action, data);
  });

  payForm.addEventListener("submit", function (event) {
    event.preventDefault();
    send(payForm.action, new FormData(payForm));
  });

  payForm.addEventListener("input", updateChange);

  discountForm.addEventListener("submit", function (event) {
    event.preventDefault();
    send(discountForm.action, new FormData(discountForm));
  });
  discountForm.elements.discount.addEventListener("change", function () {
    send(discountForm.action, new FormData(discountForm));
  });

  payPanel.querySelector("[data-pos-back]").addEventListener("click", function () {
    showPay(false);
  });

  // A line's quantity or discount typed in the cart.
  state.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.hasAttribute || !input.hasAttribute("data-line-field")) { return; }
    var row = input.closest("[data-line]");
    change({
      action: "set",
      line: row.getAttribute("data-line"),
      quantity: row.querySelector("[name=quantity]").value,
      discount_rate: row.querySelector("[name=discount_rate]").value
    });
  });
  state.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.hasAttribute("data-line-field")) {
      event.preventDefault();
      event.target.blur();
      barcode.focus();
    }
  });
  state.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-remove]") : null;
    if (button) { change({action: "remove", line: button.getAttribute("data-remove")}); }
  });

  function isField(node) {
    return node && /^(INPUT|SELECT|TEXTAREA)$/.test(node.tagName);
  }

  document.addEventListener("keydown", function (event) {
    var key = event.key;
    if (key === "F2" || key === "F8") {
      event.preventDefault();
      showPay(true);
      return;
    }
    if (key === "F9" || (key === "Enter" && (event.ctrlKey || event.metaKey))) {
      event.preventDefault();
      if (paying) { payForm.requestSubmit(); } else { showPay(true); }
      return;
    }
    if (key === "Escape" && paying) {
      event.preventDefault();
      showPay(false);
      return;
    }
    if (paying) { return; }
    var active = document.activeElement;
    var inScan = active === barcode;
    if (inScan && barcode.value === "" && lineCount() > 0) {
      if (key === "+" || key === "Add") {
        event.preventDefault();
        change({action: "adjust", line: "last", delta: "1"});
        return;
      }
      if (key === "-" || key === "Subtract") {
        event.preventDefault();
        change({action: "adjust", line: "last", delta: "-1"});
        return;
      }
      if (key === "Delete") {
        event.preventDefault();
        change({action: "remove", line: "last"});
        return;
      }
    }
    // Anything typed outside a field goes to the scan field.
    if (!isField(active) && key.length === 1 && !event.ctrlKey && !event.metaKey) {
      barcode.focus();
    }
  });

  // Keep the scan field focused after a click elsewhere on the page.
  document.addEventListener("click", function () {
    window.setTimeout(function () {
      if (!paying && !isField(document.activeElement)) { barcode.focus(); }
    }, 0);
  });

  payPanel.hidden = true;
  updateChange();
  barcode.focus();
})();

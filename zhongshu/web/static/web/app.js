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

// ==== ledger ===============================================================
// The voucher entry grid (记账凭证录入), ticking all rows of a list, and
// confirmations. Plain JavaScript, no framework; the pages work without it.
(function () {
  "use strict";

  var DIGITS = "零壹贰叁肆伍陆柒捌玖";
  var UNITS = ["", "拾", "佰", "仟"];

  // Amounts travel as integer fen (分) so sums are exact.
  function toFen(text) {
    var clean = String(text || "").replace(/[,，¥\s]/g, "");
    if (!/^-?\d*(\.\d{0,2})?$/.test(clean) || clean === "" || clean === "-" || clean === ".") {
      return clean === "" ? 0 : null;
    }
    var negative = clean.charAt(0) === "-";
    var parts = clean.replace("-", "").split(".");
    var fen = parseInt(parts[0] || "0", 10) * 100 + parseInt(((parts[1] || "") + "00").slice(0, 2), 10);
    return negative ? -fen : fen;
  }

  function fenText(fen, separators) {
    var negative = fen < 0;
    var abs = Math.abs(fen);
    var yuan = String(Math.floor(abs / 100));
    if (separators) {
      yuan = yuan.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    }
    var cents = String(abs % 100);
    return (negative ? "-" : "") + yuan + "." + (cents.length < 2 ? "0" + cents : cents);
  }

  // The same spelling as zhongshu.core.money.amount_in_words.
  function groupMarker(position, digits) {
    if (position === 0 || position % 4) {
      return "";
    }
    var span = position % 8 ? 4 : 8;
    var end = digits.length - position;
    var start = Math.max(0, end - span);
    if (!/[1-9]/.test(digits.slice(start, end))) {
      return "";
    }
    return position % 8 === 0 ? "亿" : "万";
  }

  function integerWords(digits) {
    var words = "";
    var zeroPending = false;
    for (var index = 0; index < digits.length; index++) {
      var position = digits.length - 1 - index;
      var digit = digits.charAt(index);
      if (digit === "0") {
        zeroPending = true;
      } else {
        if (zeroPending) {
          words += "零";
          zeroPending = false;
        }
        words += DIGITS.charAt(+digit) + UNITS[position % 4];
      }
      words += groupMarker(position, digits);
    }
    return words;
  }

  function amountInWords(fen) {
    if (fen === 0) {
      return "零元整";
    }
    var sign = fen < 0 ? "负" : "";
    var abs = Math.abs(fen);
    var yuan = Math.floor(abs / 100);
    var jiao = Math.floor((abs % 100) / 10);
    var cent = abs % 10;
    var words = yuan ? integerWords(String(yuan)) + "元" : "";
    if (jiao) {
      words += DIGITS.charAt(jiao) + "角";
    } else if (cent && yuan) {
      words += "零";
    }
    words += cent ? DIGITS.charAt(cent) + "分" : "整";
    return sign + words;
  }

  function VoucherEntry(form) {
    this.form = form;
    this.body = form.querySelector("[data-entry-rows]");
    this.template = form.querySelector("template[data-row-template]");
    this.total = form.querySelector("input[name$='-TOTAL_FORMS']");
    this.options = {};
    var self = this;
    form.querySelectorAll("#ledger-accounts option").forEach(function (option) {
      var code = option.value.split(/\s+/)[0];
      self.options[code] = {
        label: option.value,
        dimensions: (option.getAttribute("data-dimensions") || "").split(",").filter(Boolean)
      };
    });
    this.labels = Object.keys(this.options).map(function (code) {
      return self.options[code].label;
    });
    form.addEventListener("keydown", this.onKeydown.bind(this));
    form.addEventListener("input", this.onInput.bind(this));
    form.addEventListener("change", this.onChange.bind(this));
    form.addEventListener("click", this.onClick.bind(this));
    form.addEventListener("submit", this.onSubmit.bind(this));
    this.rows().forEach(function (row) {
      self.showDimensions(row);
    });
    this.numberRows();
    this.refresh();
  }

  VoucherEntry.prototype.rows = function () {
    return Array.prototype.slice.call(this.body.querySelectorAll("tr[data-entry-row]"));
  };

  VoucherEntry.prototype.cell = function (row, name) {
    return row.querySelector("[data-cell='" + name + "']");
  };

  // The inputs Enter walks through, in order: hidden dimensions are skipped.
  VoucherEntry.prototype.stops = function () {
    return Array.prototype.slice
      .call(this.body.querySelectorAll("input[data-cell]"))
      .filter(function (input) {
        return !input.closest("[hidden]");
      });
  };

  VoucherEntry.prototype.addRow = function () {
    var index = parseInt(this.total.value, 10);
    var html = this.template.innerHTML.replace(/__prefix__/g, String(index));
    var holder = document.createElement("tbody");
    holder.innerHTML = html.trim();
    var row = holder.querySelector("tr[data-entry-row]");
    this.body.appendChild(row);
    this.total.value = String(index + 1);
    this.numberRows();
    return row;
  };

  VoucherEntry.prototype.numberRows = function () {
    this.rows().forEach(function (row, index) {
      row.querySelector(".entry-no").textContent = String(index + 1);
    });
  };

  VoucherEntry.prototype.sums = function (except) {
    var sums = { debit: 0, credit: 0 };
    var self = this;
    this.rows().forEach(function (row) {
      ["debit", "credit"].forEach(function (side) {
        var input = self.cell(row, side);
        if (input !== except) {
          sums[side] += toFen(input.value) || 0;
        }
      });
    });
    return sums;
  };

  VoucherEntry.prototype.refresh = function () {
    var sums = this.sums(null);
    var form = this.form;
    form.querySelector("[data-total='debit']").textContent = fenText(sums.debit, true);
    form.querySelector("[data-total='credit']").textContent = fenText(sums.credit, true);
    form.querySelector("[data-total-words]").textContent = amountInWords(
      sums.debit === sums.credit ? sums.debit : Math.max(sums.debit, sums.credit)
    );
    var difference = sums.debit - sums.credit;
    form.querySelector("[data-difference-ok]").hidden = difference !== 0;
    form.querySelector("[data-difference-bad]").hidden = difference === 0;
    form.querySelector("[data-difference]").textContent = fenText(difference, true);
    this.rows().forEach(function (row) {
      row.querySelectorAll("input[data-cell='debit'], input[data-cell='credit']").forEach(function (input) {
        var fen = toFen(input.value);
        input.classList.toggle("is-invalid", fen === null);
        input.classList.toggle("is-red", fen !== null && fen < 0);
      });
    });
  };

  VoucherEntry.prototype.showDimensions = function (row) {
    var account = this.cell(row, "account");
    var option = this.options[account.value.split(/\s+/)[0]];
    var wanted = option ? option.dimensions : [];
    account.classList.toggle("is-unknown", account.value.trim() !== "" && !option);
    row.querySelectorAll("[data-dimension]").forEach(function (label) {
      var input = label.querySelector("input");
      var needed = wanted.indexOf(label.getAttribute("data-dimension")) >= 0;
      label.hidden = !needed && !input.value;
      input.required = needed;
    });
  };

  // "1002" or a unique part of a name becomes "1002 银行存款".
  VoucherEntry.prototype.completeAccount = function (input) {
    var text = input.value.trim();
    if (!text || this.labels.indexOf(text) >= 0) {
      return;
    }
    var exact = this.options[text.split(/\s+/)[0]];
    if (exact) {
      input.value = exact.label;
      return;
    }
    var matches = this.labels.filter(function (label) {
      return label.indexOf(text) >= 0;
    });
    if (matches.length === 1) {
      input.value = matches[0];
    }
  };

  VoucherEntry.prototype.summaryAbove = function (row) {
    var rows = this.rows();
    for (var index = rows.indexOf(row) - 1; index >= 0; index--) {
      var value = this.cell(rows[index], "summary").value.trim();
      if (value) {
        return value;
      }
    }
    return "";
  };

  VoucherEntry.prototype.fillBalance = function (input) {
    var sums = this.sums(input);
    var side = input.getAttribute("data-cell");
    var fen = side === "debit" ? sums.credit - sums.debit : sums.debit - sums.credit;
    if (fen !== 0) {
      input.value = fenText(fen, false);
      var other = this.cell(input.closest("tr"), side === "debit" ? "credit" : "debit");
      other.value = "";
    }
  };

  VoucherEntry.prototype.swapSides = function (input) {
    var side = input.getAttribute("data-cell");
    var other = this.cell(input.closest("tr"), side === "debit" ? "credit" : "debit");
    if (input.value.trim()) {
      other.value = input.value;
      input.value = "";
      other.focus();
      other.select();
    }
  };

  VoucherEntry.prototype.leaveCell = function (input) {
    var row = input.closest("tr");
    var name = input.getAttribute("data-cell");
    if (name === "summary" && (!input.value.trim() || input.value.trim() === "//")) {
      input.value = this.summaryAbove(row);
    }
    if (name === "account") {
      this.completeAccount(input);
      this.showDimensions(row);
    }
    if ((name === "debit" || name === "credit") && toFen(input.value)) {
      input.value = fenText(toFen(input.value), false);
    }
  };

  VoucherEntry.prototype.next = function (input) {
    var stops = this.stops();
    var index = stops.indexOf(input);
    if (index === stops.length - 1) {
      this.addRow();
      stops = this.stops();
    }
    var target = stops[index + 1];
    // A line's amount is on one side: after a debit, skip the empty credit.
    if (input.getAttribute("data-cell") === "debit" && input.value.trim() && target.getAttribute("data-cell") === "credit") {
      target = this.stops()[index + 2] || (this.addRow() && this.stops()[index + 2]);
    }
    target.focus();
    if (target.select) {
      target.select();
    }
  };

  VoucherEntry.prototype.onKeydown = function (event) {
    if ((event.ctrlKey || event.metaKey) && event.key === "s") {
      event.preventDefault();
      this.form.requestSubmit(this.form.querySelector("[data-save]"));
      return;
    }
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.hasAttribute("data-cell")) {
      return;
    }
    var name = input.getAttribute("data-cell");
    var isAmount = name === "debit" || name === "credit";
    if (event.key === "Enter") {
      event.preventDefault();
      this.leaveCell(input);
      this.refresh();
      this.next(input);
    } else if (event.key === "=" && isAmount) {
      event.preventDefault();
      this.fillBalance(input);
      this.refresh();
    } else if (event.key === " " && isAmount) {
      event.preventDefault();
      this.swapSides(input);
      this.refresh();
    }
  };

  VoucherEntry.prototype.onInput = function (event) {
    var input = event.target;
    var name = input.getAttribute && input.getAttribute("data-cell");
    if (name === "debit" || name === "credit") {
      if (input.value.trim()) {
        this.cell(input.closest("tr"), name === "debit" ? "credit" : "debit").value = "";
      }
      this.refresh();
    }
    if (name === "summary" && input.value === "//") {
      input.value = this.summaryAbove(input.closest("tr"));
    }
  };

  VoucherEntry.prototype.onChange = function (event) {
    var input = event.target;
    var name = input.getAttribute && input.getAttribute("data-cell");
    if (name === "account" || name === "debit" || name === "credit") {
      this.leaveCell(input);
      this.refresh();
    }
  };

  VoucherEntry.prototype.onClick = function (event) {
    if (event.target.closest("[data-add-row]")) {
      var row = this.addRow();
      this.cell(row, "summary").focus();
    }
    var remove = event.target.closest("[data-remove-row]");
    if (remove) {
      // Cleared rather than removed: the row numbers of the form stay put.
      remove.closest("tr").querySelectorAll("input").forEach(function (input) {
        input.value = "";
      });
      this.showDimensions(remove.closest("tr"));
      this.refresh();
    }
  };

  VoucherEntry.prototype.onSubmit = function () {
    var self = this;
    this.rows().forEach(function (row) {
      var summary = self.cell(row, "summary");
      var used = self.cell(row, "account").value.trim() || self.cell(row, "debit").value.trim() || self.cell(row, "credit").value.trim();
      if (used && !summary.value.trim()) {
        summary.value = self.summaryAbove(row);
      }
      self.completeAccount(self.cell(row, "account"));
    });
  };

  function start() {
    document.querySelectorAll("form[data-voucher-entry]").forEach(function (form) {
      var entry = new VoucherEntry(form);
      form.voucherEntry = entry;
      var first = entry.rows()[0];
      if (first && !document.querySelector(".entry-errors")) {
        entry.cell(first, "summary").focus();
      }
    });
  }

  // A "tick all" box for the rows of a list.
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (box instanceof HTMLInputElement && box.hasAttribute("data-check-all")) {
      var name = box.getAttribute("data-check-all");
      box.form.querySelectorAll("input[name='" + name + "']").forEach(function (other) {
        other.checked = box.checked;
      });
    }
  });

  // Forms that undo or destroy something ask first.
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });

  // The opening trial balance, summed live as figures are typed.
  document.addEventListener("input", function (event) {
    var grid = event.target.closest && event.target.closest("[data-opening-grid]");
    if (!grid) {
      return;
    }
    var sums = { debit: 0, credit: 0, ytd_debit: 0, ytd_credit: 0 };
    grid.querySelectorAll("input[data-opening-side]").forEach(function (input) {
      var fen = toFen(input.value);
      input.classList.toggle("is-invalid", fen === null);
      sums[input.getAttribute("data-opening-side")] += fen || 0;
    });
    Object.keys(sums).forEach(function (side) {
      var out = grid.querySelector("[data-opening-sum='" + side + "']");
      if (out) {
        out.textContent = fenText(sums[side], true);
      }
    });
    var difference = sums.debit - sums.credit || sums.ytd_debit - sums.ytd_credit;
    grid.querySelector("[data-opening-ok]").hidden = difference !== 0;
    grid.querySelector("[data-opening-bad]").hidden = difference === 0;
    grid.querySelector("[data-opening-difference]").textContent = fenText(difference, true);
  });

  window.zhongshuLedger = { amountInWords: amountInWords, toFen: toFen };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
// ==== end of ledger =========================================================

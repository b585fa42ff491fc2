#include "profiler/report/html_script.h"

namespace rs {

const char* const kHtmlReportStyle = R"css(<style>
body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 1.5em; color: #111; }
h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 1.6em; }
table { border-collapse: collapse; font-size: 12px; }
th, td { border: 1px solid #ccc; padding: 2px 6px; }
div.scroll { max-height: 85vh; overflow: auto; border: 1px solid #ccc; }
table.sortable td { white-space: nowrap; }
table.sortable th { background: #eee; cursor: pointer; position: sticky; top: 0; white-space: nowrap; }
table.sortable th[aria-sort=ascending]::after { content: " \25B2"; }
table.sortable th[aria-sort=descending]::after { content: " \25BC"; }
td.num { text-align: right; font-variant-numeric: tabular-nums; } td.na { color: #999; }
td.negative { background: #fde0dc; color: #b00020; font-weight: bold; }
tfoot td { font-weight: bold; border-top: 2px solid #333; }
table.kv th { text-align: left; background: #f6f6f6; font-weight: normal; }
ul.warnings li { color: #8a4b00; } .plot svg { max-width: 100%; height: auto; }
#controls { display: flex; flex-wrap: wrap; gap: 1em; align-items: flex-start; margin: 0.6em 0; font-size: 13px; }
#filter { width: 28em; } #columns { max-width: 60em; }
#columns label { display: inline-block; min-width: 15em; font-size: 12px; }
tr.op-row, tr.group-row { cursor: pointer; } tr.op-row:hover, tr.group-row:hover { background: #f3f7ff; }
.filtered-out { display: none; }
tr.selected, tr.selected:hover { background: #fff3b0; outline: 2px solid #e0a000; }
svg.roofline circle.op { cursor: pointer; }
svg.roofline circle.op.selected { stroke: #d00000; stroke-width: 3; fill-opacity: 1; }
</style>
)css";

const char* const kHtmlReportScript = R"js(<script>
(function () {
  'use strict';
  function $(s, root) { return (root || document).querySelector(s); }
  function $$(s, root) { return Array.prototype.slice.call((root || document).querySelectorAll(s)); }
  function visible(el) { return !!el && el.getClientRects().length > 0; }
  function escapeRe(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); }
  var table = $('#ops'), filter = $('#filter'), boxes = $$('#columns input[data-col]');
  var rows = $$('#ops tbody tr.op-row'), dots = $$('svg.roofline circle.op'), dotOf = {};
  dots.forEach(function (c) { dotOf[c.getAttribute('data-op')] = c; });
  function rowOf(i) { return document.getElementById('op-' + i); }

  function sortBy(tbl, col) {
    var heads = tbl.tHead.rows[0].cells, th = heads[col];
    var asc = th.getAttribute('aria-sort') !== 'ascending', num = th.className === 'num';
    for (var i = 0; i < heads.length; i++) heads[i].removeAttribute('aria-sort');
    th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
    var body = tbl.tBodies[0], list = Array.prototype.slice.call(body.rows);
    list.sort(function (a, b) {
      var x = a.cells[col].getAttribute('data-v'), y = b.cells[col].getAttribute('data-v');
      if (x === '' || y === '') return (x === '') - (y === '');
      var d = num ? parseFloat(x) - parseFloat(y) : x.localeCompare(y);
      return asc ? d : -d;
    });
    list.forEach(function (r) { body.appendChild(r); });
  }
  $$('table.sortable').forEach(function (tbl) {
    Array.prototype.forEach.call(tbl.tHead.rows[0].cells, function (th, i) {
      th.addEventListener('click', function () { sortBy(tbl, i); });
    });
  });

  function matcher(text) {
    var re = null, low = text.toLowerCase();
    try { re = new RegExp(text, 'i'); } catch (e) { re = null; }
    return function (fields) {
      return !text || fields.some(function (f) { return re ? re.test(f) : f.toLowerCase().indexOf(low) >= 0; });
    };
  }
  function fieldsOf(r) { return ['data-name', 'data-kind', 'data-impl'].map(function (a) { return r.getAttribute(a) || ''; }); }
  function applyFilter() {
    var m = matcher(filter.value), shown = 0;
    rows.forEach(function (r) {
      var ok = m(fieldsOf(r)), d = dotOf[r.getAttribute('data-op')];
      r.classList.toggle('filtered-out', !ok);
      if (d) d.classList.toggle('filtered-out', !ok);
      shown += ok ? 1 : 0;
    });
    $('#filter-count').textContent = shown + ' of ' + rows.length + ' ops';
  }
  filter.addEventListener('input', applyFilter);

  function applyColumns() {
    var hidden = boxes.filter(function (b) { return !b.checked; }).map(function (b) {
      var n = Number(b.getAttribute('data-col')) + 1;
      return '#ops th:nth-child(' + n + '), #ops td:nth-child(' + n + ')';
    });
    $('#hidden-columns').textContent = hidden.length ? hidden.join(',\n') + ' { display: none; }' : '';
    $('#columns-count').textContent = (boxes.length - hidden.length) + ' of ' + boxes.length + ' columns';
  }
  function setColumns(pick) { boxes.forEach(function (b) { b.checked = pick(b); }); applyColumns(); }
  boxes.forEach(function (b) { b.addEventListener('change', applyColumns); });
  $('#columns-default').addEventListener('click', function () { setColumns(function (b) { return b.hasAttribute('data-default'); }); });
  $('#columns-all').addEventListener('click', function () { setColumns(function () { return true; }); });

  function onScreen(el) { var b = el.getBoundingClientRect(); return b.top >= 0 && b.bottom <= window.innerHeight; }
  function select(i, from) {
    $$('#ops tr.selected, svg.roofline circle.op.selected').forEach(function (e) { e.classList.remove('selected'); });
    var r = rowOf(i), d = dotOf[i];
    if (r) r.classList.add('selected');
    if (d) { d.classList.add('selected'); d.parentNode.appendChild(d); }  // drawn last: on top
    if (from === 'dot' && r) r.scrollIntoView({block: 'center'});
    if (from === 'row' && d && !onScreen(d)) d.scrollIntoView({block: 'center'});
  }
  $('svg.roofline').addEventListener('click', function (e) {
    var c = e.target.closest('circle.op');
    if (c) select(c.getAttribute('data-op'), 'dot');
  });
  table.tBodies[0].addEventListener('click', function (e) {
    var r = e.target.closest('tr.op-row');
    if (r) select(r.getAttribute('data-op'), 'row');
  });

  function showGroups(by) { $$('table.groupby').forEach(function (t) { t.hidden = t.getAttribute('data-by') !== by; }); }
  $$('input[name=groupby]').forEach(function (r) {
    r.addEventListener('change', function () { showGroups(r.value); });
    if (r.checked) showGroups(r.value);
  });
  $$('table.groupby tbody').forEach(function (b) {
    b.addEventListener('click', function (e) {
      var g = e.target.closest('tr.group-row');
      if (!g || !g.getAttribute('data-group')) return;  // "other": no one filter shows it
      filter.value = '^' + escapeRe(g.getAttribute('data-group')) + '$';
      applyFilter();
      table.scrollIntoView({block: 'start'});
    });
  });

  applyColumns();
  applyFilter();
  document.body.setAttribute('data-rendered-points', String(dots.filter(function (c) {
    var b = c.getBoundingClientRect();
    return b.width > 0 && b.height > 0;
  }).length));

  function click(el) {  // an HTML element's own click(): a checkbox or radio toggles; SVG has none
    if (typeof el.click === 'function') el.click();
    else el.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true}));
  }
  function shown(list) { return list.filter(visible).length; }
  function selftest() {
    var results = [];
    function check(name, pass, detail, attrs) { results.push({name: name, pass: !!pass, detail: detail, attrs: attrs || {}}); }
    var body = document.body;
    check('counts', rows.length === Number(body.getAttribute('data-ops')) &&
          dots.length === Number(body.getAttribute('data-plotted-points')),
          rows.length + ' rows, ' + dots.length + ' dots', {'data-rows': rows.length, 'data-dots': dots.length});
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var defaults = boxes.filter(function (b) { return b.hasAttribute('data-default'); }).length;
    check('compact-default', shown(heads) === defaults && defaults > 0, shown(heads) + ' columns shown',
          {'data-columns-shown': shown(heads)});

    var kind = (dots[0] || rows[0]).getAttribute('data-kind');
    filter.value = '^' + escapeRe(kind) + '$';
    filter.dispatchEvent(new Event('input'));
    var expectRows = rows.filter(function (r) {
      return fieldsOf(r).some(function (f) { return f.toLowerCase() === kind.toLowerCase(); });
    });
    var expectDots = dots.filter(function (d) { return expectRows.indexOf(rowOf(d.getAttribute('data-op'))) >= 0; });
    check('filter', shown(rows) === expectRows.length && shown(dots) === expectDots.length && shown(rows) > 0,
          'filter ' + filter.value + ': ' + shown(rows) + ' rows, ' + shown(dots) + ' dots',
          {'data-kind': kind, 'data-rows-shown': shown(rows), 'data-dots-shown': shown(dots)});
    filter.value = '';
    filter.dispatchEvent(new Event('input'));
    check('filter-cleared', shown(rows) === rows.length && shown(dots) === dots.length, 'all shown again');

    var dot = dots[dots.length - 1], op = dot.getAttribute('data-op');
    click(dot);
    var sel = $$('#ops tr.selected'), box = $('#ops-scroll').getBoundingClientRect(), rb = rowOf(op).getBoundingClientRect();
    check('dot-to-row', sel.length === 1 && sel[0] === rowOf(op) && rb.top >= box.top - 1 && rb.bottom <= box.bottom + 1 &&
          rb.top >= -1 && rb.bottom <= window.innerHeight + 1, 'dot ' + dot.getAttribute('data-name'), {'data-op': op});
    var other = rows.filter(function (r) { return dotOf[r.getAttribute('data-op')] && r.getAttribute('data-op') !== op; })[0];
    click(other.cells[0]);
    var selDots = $$('svg.roofline circle.op.selected');
    check('row-to-dot', selDots.length === 1 && selDots[0] === dotOf[other.getAttribute('data-op')] &&
          other.classList.contains('selected') && !rowOf(op).classList.contains('selected'),
          'row ' + other.getAttribute('data-name'), {'data-op': other.getAttribute('data-op')});

    var box = boxes.filter(function (b) { return !b.checked; })[0] || boxes[boxes.length - 1];
    var col = Number(box.getAttribute('data-col')), th = heads[col], before = visible(th);
    click(box);
    var after = visible(th) === !before && visible(rows[0].cells[col]) === !before;
    click(box);
    check('column-toggle', after && visible(th) === before && before === box.checked, th.getAttribute('data-key'),
          {'data-key': th.getAttribute('data-key'), 'data-shown-before': before ? 1 : 0});

    click($('input[name=groupby][value=impl]'));
    var gImpl = $('table.groupby[data-by=impl]'), gKind = $('table.groupby[data-by=kind]');
    var groups = $$('tbody tr.group-row', gImpl), impls = {};
    rows.forEach(function (r) { impls[r.getAttribute('data-impl')] = 1; });
    var opsSum = groups.reduce(function (s, g) { return s + Number(g.getAttribute('data-ops')); }, 0);
    var whole = groups.length === Object.keys(impls).length ||
                groups.length < Object.keys(impls).length && groups[groups.length - 1].getAttribute('data-group') === '';
    check('group-by', visible(gImpl) && !visible(gKind) && whole && opsSum === rows.length,
          groups.length + ' groups of ' + Object.keys(impls).length + ' implementations', {'data-groups': groups.length});
    click(groups[0].cells[0]);
    check('group-filter', shown(rows) === Number(groups[0].getAttribute('data-ops')),
          'filter ' + filter.value + ': ' + shown(rows) + ' rows', {'data-rows-shown': shown(rows)});
    filter.value = '';
    filter.dispatchEvent(new Event('input'));
    click($('input[name=groupby][value=kind]'));

    var ol = document.getElementById('selftest'), failed = 0;
    results.forEach(function (c) {
      var li = document.createElement('li');
      li.setAttribute('data-check', c.name);
      li.setAttribute('data-pass', c.pass ? '1' : '0');
      Object.keys(c.attrs).forEach(function (k) { li.setAttribute(k, String(c.attrs[k])); });
      li.textContent = c.name + ': ' + (c.pass ? 'passed' : 'FAILED') + ' (' + c.detail + ')';
      ol.appendChild(li);
      failed += c.pass ? 0 : 1;
    });
    ol.hidden = false;
    body.setAttribute('data-selftest', failed ? 'failed' : 'passed');
  }
  if (location.hash === '#selftest') {
    try { selftest(); } catch (e) { document.body.setAttribute('data-selftest', 'error: ' + e); }
  }
})();
</script>
)js";

}  // namespace rs

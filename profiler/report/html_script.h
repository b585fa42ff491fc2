// The inline CSS and JavaScript of the HTML report (profiler/report/html_report.h), kept apart from the C++ that
// writes the page. Vanilla JS, no external resource.
#pragma once

namespace rs {

/// `<style>...</style>`: the page's layout, the table, the selection and filter classes.
extern const char* const kHtmlReportStyle;

/// `<script>...</script>`, placed at the end of <body>. What it does with the page's elements:
/// - every table.sortable: a click on a header sorts by that column (data-v numbers or text, n/a last);
/// - #filter (input): a case-insensitive regular expression (a plain substring when it does not compile) over each
///   op row's data-name, data-kind and data-impl; rows that do not match get class "filtered-out", so do their dots
///   (circle.op with the same data-op); #filter-count says "N of M ops";
/// - #columns input[data-col] checkboxes show or hide the #ops column of that index (a rule in
///   <style id="hidden-columns">), the checkboxes with data-default are the compact set; buttons #columns-default
///   and #columns-all;
/// - a click on a dot selects its op (class "selected" on the dot and on tr#op-N) and scrolls the row into view; a
///   click on a row selects it and its dot (scrolled into view when it is off screen);
/// - input[name=groupby] radios show the table.groupby whose data-by is the value; a click on a group row
///   (tr.group-row with a non-empty data-group) puts ^group$ (escaped) in the filter;
/// - body data-rendered-points = the dots laid out with a non-empty box;
/// - with the URL fragment #selftest it runs each interaction and writes one <li data-check=".." data-pass="1|0">
///   per check into <ol id="selftest">, and body data-selftest = "passed" | "failed" | "error: ...".
extern const char* const kHtmlReportScript;

}  // namespace rs

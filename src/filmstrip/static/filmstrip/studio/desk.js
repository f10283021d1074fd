// The moderation desk: a "Select all" box per section, shown only with JavaScript (ticking the
// rows one by one works without it), and kept in step as rows are ticked by hand.
for (const all of document.querySelectorAll(".tick-all input")) {
  const rows = [...document.querySelectorAll(`input[form="bulk"][name="${all.dataset.kind}"]`)];
  const follow = () => {
    const ticked = rows.filter((row) => row.checked).length;
    all.checked = ticked === rows.length;
    all.indeterminate = ticked > 0 && ticked < rows.length;
  };
  all.addEventListener("change", () => {
    for (const row of rows) row.checked = all.checked;
  });
  for (const row of rows) row.addEventListener("change", follow);
  all.closest(".tick-all").hidden = false;
}

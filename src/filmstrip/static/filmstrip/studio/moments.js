// Moments as the author reads them: in the browser's own zone and language, rather than the
// server's zone (what the page says without JavaScript). A <time class="moment"> gets the date
// and time; with data-style="full", the day's name and the month in words; with class "zoned",
// the zone's name after. A schedule field (data-echo: the id of an <output>) is echoed there in
// words as it is set, so whatever order the browser's control puts day and month in, the
// author reads the moment unmistakably.
export const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;

export function spoken(date, style = "medium") {
  return date.toLocaleString(undefined, { dateStyle: style, timeStyle: "short" });
}

for (const moment of document.querySelectorAll("time.moment")) {
  const when = spoken(new Date(moment.dateTime), moment.dataset.style);
  moment.textContent = moment.classList.contains("zoned") ? `${when} (${zone})` : when;
}
for (const name of document.querySelectorAll(".zone-name")) name.textContent = `(${zone} time)`;

for (const field of document.querySelectorAll("input[type=datetime-local][data-echo]")) {
  const echo = document.getElementById(field.dataset.echo);
  const say = () => {
    // The field's value is a wall-clock time without a zone: the browser reads it in its own.
    echo.textContent = field.value ? `${spoken(new Date(field.value), "full")} (${zone})` : "";
  };
  field.addEventListener("input", say);
  say();
}

// The directory's filters work as a plain GET form. With htmx, the results are swapped in place;
// this tells screen-reader users the new count through a live region that stays in the page.
// On a phone the filters fold into one "Filter (n active)" control above the results; pressing
// "Show hospitals" folds them again and brings the results into view.
const phone = window.matchMedia("(max-width: 991.98px)");
let revealResults = false;

function foldFiltersOnPhone() {
  const panel = document.getElementById("filter-panel");
  if (panel) panel.open = !phone.matches;
}

foldFiltersOnPhone();
phone.addEventListener("change", foldFiltersOnPhone);

document.addEventListener("submit", (event) => {
  if (event.target.id === "hospital-filters") revealResults = true;
});

document.addEventListener("htmx:afterSettle", (event) => {
  if (!event.detail.target || event.detail.target.id !== "hospital-results") return;
  const announcement = document.getElementById("hospital-results-announcement");
  const count = document.querySelector("#hospital-results .result-count");
  if (announcement && count) announcement.textContent = count.textContent.trim();
  if (revealResults && phone.matches) {
    const results = document.getElementById("hospital-results");
    document.getElementById("filter-panel").open = false;
    results.focus({ preventScroll: true });
    results.scrollIntoView({ block: "start", behavior: "instant" });
  }
  revealResults = false;
});

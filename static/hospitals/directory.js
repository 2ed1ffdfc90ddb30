// The directory's filters work as a plain GET form. With htmx, the results are swapped in place;
// this tells screen-reader users the new count through a live region that stays in the page.
document.addEventListener("htmx:afterSettle", (event) => {
  if (!event.detail.target || event.detail.target.id !== "hospital-results") return;
  const announcement = document.getElementById("hospital-results-announcement");
  const count = document.querySelector("#hospital-results .result-count");
  if (announcement && count) announcement.textContent = count.textContent.trim();
});

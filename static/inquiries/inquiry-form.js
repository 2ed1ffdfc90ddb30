document.addEventListener("DOMContentLoaded", () => {
  // Move focus to the error summary so that keyboard and screen-reader users hear it first.
  const summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }

  // Files over the total limit: say so before sending. The server refuses such a post unread,
  // and everything typed would be lost with it.
  const input = document.querySelector("input[type=file][data-max-total-bytes]");
  const warning = document.getElementById("documents-too-large");
  if (!input || !warning) {
    return;
  }
  const tooLarge = () => {
    const total = Array.from(input.files).reduce((sum, file) => sum + file.size, 0);
    const over = total > Number(input.dataset.maxTotalBytes);
    warning.hidden = !over;
    const described = (input.getAttribute("aria-describedby") || "").split(" ").filter((id) => id && id !== warning.id);
    input.setAttribute("aria-describedby", (over ? [...described, warning.id] : described).join(" "));
    if (over) {
      input.setAttribute("aria-invalid", "true");
    } else {
      input.removeAttribute("aria-invalid");
    }
    return over;
  };
  input.addEventListener("change", tooLarge);
  input.form.addEventListener("submit", (event) => {
    if (tooLarge()) {
      event.preventDefault();
      input.focus();
    }
  });
});

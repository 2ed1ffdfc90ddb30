// The body's "Insert image" control: writes ![](image:<id>) at the cursor (images/widgets.py).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const control of document.querySelectorAll("[data-image-insert-for]")) {
    const textarea = document.getElementById(control.dataset.imageInsertFor);
    const choice = control.querySelector(".image-insert-choice");
    const button = control.querySelector(".image-insert-button");
    if (!textarea || !choice || !button) continue;
    control.hidden = false;
    button.addEventListener("click", () => {
      if (!choice.value) return;
      const reference = `![](image:${choice.value})`;
      const start = textarea.selectionStart ?? textarea.value.length;
      const end = textarea.selectionEnd ?? start;
      const before = textarea.value.slice(0, start);
      const after = textarea.value.slice(end);
      const inserted = `${before && !before.endsWith("\n\n") ? "\n\n" : ""}${reference}\n\n`;
      textarea.value = before + inserted + after;
      const cursor = before.length + inserted.length;
      textarea.setSelectionRange(cursor, cursor);
      textarea.focus();
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    });
  }
});

// The image's change page: a click on the preview sets the focal point fields (images/admin.py).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const preview = document.querySelector(".image-library-preview");
  const across = document.getElementById("id_focal_x");
  const down = document.getElementById("id_focal_y");
  if (!preview || !across || !down) return;
  preview.classList.add("image-focal-picker");
  preview.addEventListener("click", (event) => {
    const box = preview.getBoundingClientRect();
    across.value = Math.round(((event.clientX - box.left) / box.width) * 100);
    down.value = Math.round(((event.clientY - box.top) / box.height) * 100);
    across.dispatchEvent(new Event("change", { bubbles: true }));
  });
});

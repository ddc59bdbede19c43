// "Go back" on the error pages: a script file, because the Content-Security-Policy allows no inline script.
document.addEventListener("click", (event) => {
  const link = event.target.closest("[data-history-back]");
  if (link) {
    event.preventDefault();
    history.back();
  }
});

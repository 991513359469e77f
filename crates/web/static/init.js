// Starts GOV.UK Frontend's components, and the warning before an idle session
// ends. Loaded as a module, so browsers too old for it get the pages without
// JavaScript, which all work (an ended session then says so on the sign-in page).
import { initAll } from "/assets/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

const timeout = Number(document.body.dataset.sessionTimeout || 0);
const dialog = document.getElementById("session-timeout-warning");
if (timeout > 0 && dialog && typeof dialog.showModal === "function") {
  // Warn two minutes before the end (or half way, for very short sessions).
  const warnAfter = Math.max(timeout - 120, timeout / 2) * 1000;
  let warnTimer;
  let endTimer;
  const start = () => {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    warnTimer = setTimeout(() => dialog.showModal(), warnAfter);
    endTimer = setTimeout(() => {
      window.location.href = "/sign-in?timed-out=1";
    }, timeout * 1000);
  };
  document.getElementById("session-timeout-stay").addEventListener("click", async () => {
    // Any signed-in request restarts the server's idle timer.
    const response = await fetch("/session/keep-alive", { credentials: "same-origin" });
    dialog.close();
    if (response.ok) {
      start();
    } else {
      window.location.href = "/sign-in?timed-out=1";
    }
  });
  start();
}

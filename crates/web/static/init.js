// Starts GOV.UK Frontend's components. Loaded as a module, so browsers too old
// for it get the pages without JavaScript, which all work.
import { initAll } from "/assets/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

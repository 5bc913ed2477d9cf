// Every page: tell govuk-frontend's styles that its script runs, then start its components (the error summary takes
// focus, the skip link, the service navigation). The pages work without it.
import { initAll } from "/assets/govuk-frontend.min.js";

document.body.classList.add("govuk-frontend-supported");
initAll();

// Asking the shopper for the pairing code once, when the server says it needs one (401).

import { forgetPairingCode, pairingCode, savePairingCode } from "./api.js";
import { show } from "./dom.js";

// Wire the pairing form and the "forget" button; `reload` runs once a code is entered.
export function setUpPairing(reload) {
  const form = document.getElementById("pairing-form");
  const forget = document.getElementById("forget");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const code = document.getElementById("code").value;
    if (!code.trim()) return;
    savePairingCode(code, document.getElementById("remember").checked);
    document.getElementById("code").value = "";
    document.getElementById("pairing").hidden = true;
    forget.hidden = false;
    reload();
  });
  forget.addEventListener("click", () => {
    forgetPairingCode();
    forget.hidden = true;
    askForCode("");
  });
  forget.hidden = !pairingCode();
}

// Show the form, saying why: no code yet, or the one given was refused.
export function askForCode(why) {
  document.getElementById("pairing").hidden = false;
  show(document.getElementById("pairing-error"), why);
  document.getElementById("code").focus();
}

// The refusal's text for a 401: the form says it, and the page waits for a code.
export function needsCode(error) {
  if (error && error.status === 401) {
    askForCode(pairingCode() ? "The server refused this code: enter the one `zmot token` prints." : "");
    return true;
  }
  return false;
}

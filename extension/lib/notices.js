/** Which words, command and way out each failure is shown with: a pure choice, tested without a DOM. */

/**
 * The notice for an error {kind, detail?, paired?}: {title, titleArgs?, help?, command?, detail?, action?},
 * all message keys but `command` (a terminal command, never translated) and `detail` (the server's words).
 * `action` names the button that opens the options page.
 */
export function noticeFor(error) {
  const e = error || {};
  switch (e.kind) {
    case 'unreachable':
      return { title: 'unreachableTitle', titleArgs: [e.detail || ''], help: 'unreachableHelp', command: 'zmot serve' };
    case 'interrupted':
      return { title: 'interruptedTitle', titleArgs: [e.detail || ''], help: 'unreachableHelp', command: 'zmot serve' };
    case 'unauthorized':
      // The server wants its pairing code: none was saved yet, or the one saved is not (or no longer) its code.
      return e.paired
        ? { title: 'pairingRefusedTitle', help: 'pairingRefusedHelp', command: 'zmot token', action: 'pairingAction' }
        : { title: 'pairingNeededTitle', help: 'pairingNeededHelp', command: 'zmot token', action: 'pairingAction' };
    case 'cannot_capture':
      return { title: 'cannotCaptureTitle', help: 'cannotCaptureHelp' };
    default:
      return { title: 'rejectedTitle', detail: String(e.detail || '') };
  }
}

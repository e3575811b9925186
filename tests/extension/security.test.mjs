import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const ROOT = new URL('../../extension/', import.meta.url).pathname;

function files(dir = ROOT) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}
const code = files().filter((p) => /\.(js|mjs|html)$/.test(p)).map((p) => [p.slice(ROOT.length), readFileSync(p, 'utf8')]);

test('no HTML strings reach the DOM, and no code is made from text', () => {
  const forbidden = /\binnerHTML\b|\bouterHTML\s*=|insertAdjacentHTML|document\.write|\beval\s*\(|new\s+Function\b|setTimeout\s*\(\s*['"`]|createContextualFragment|DOMParser/;
  for (const [path, text] of code) assert.doesNotMatch(text, forbidden, path);
});

test('the manifest asks for activeTab, alarms, scripting and storage only; the server origin and notifications at run time', () => {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'manifest.json'), 'utf8'));
  assert.equal(manifest.manifest_version, 3);
  assert.deepEqual([...manifest.permissions].sort(), ['activeTab', 'alarms', 'scripting', 'storage']);
  // Notifications are asked for on the click that makes the first watch, not at install.
  assert.deepEqual(manifest.optional_permissions, ['notifications']);
  assert.equal(manifest.host_permissions, undefined);
  assert.equal(manifest.content_scripts, undefined, 'no content script on pages the shopper did not click');
  assert.equal(manifest.content_security_policy, undefined, 'the default MV3 CSP');
  assert.deepEqual(manifest.optional_host_permissions, ['http://*/*', 'https://*/*']);
  assert.equal(manifest.background.service_worker, 'background.js');
  assert.deepEqual(manifest.background.scripts, ['background.js']);
  assert.ok(manifest.browser_specific_settings.gecko.id);
});

test('pages load only their own scripts and styles', () => {
  for (const [path, text] of code.filter(([p]) => p.endsWith('.html'))) {
    for (const [, src] of text.matchAll(/\b(?:src|href)="([^"]*)"/g)) {
      assert.doesNotMatch(src, /^(?:[a-z]+:)?\/\//i, `${path} loads ${src}`);
    }
    assert.doesNotMatch(text, /<script(?![^>]*\bsrc=)[^>]*>/, `${path} has an inline script`);
    assert.doesNotMatch(text, /\son[a-z]+=/i, `${path} has an inline handler`);
  }
});

test('every file the manifest and pages name exists', () => {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'manifest.json'), 'utf8'));
  const named = [
    manifest.background.service_worker, manifest.action.default_popup, manifest.options_ui.page,
    ...Object.values(manifest.icons), ...Object.values(manifest.action.default_icon), 'capture.js',
  ];
  for (const path of named) assert.ok(statSync(join(ROOT, path)).isFile(), path);
});

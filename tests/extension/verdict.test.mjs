import assert from 'node:assert/strict';
import { test } from 'node:test';

import { badgeFor, gradeTone, priceTone, sentimentTone, verdictLabel, verdictScore } from '../../extension/lib/verdict.js';

test('the badge shows the verdict score in the verdict color, nothing without a verdict', () => {
  assert.deepEqual(badgeFor({ label: 'buy', score: 78.4 }), { text: '78', color: '#1b7f3b' });
  assert.equal(badgeFor({ label: 'avoid', score: 150 }).text, '100');
  assert.equal(badgeFor(null).text, '');
  assert.equal(badgeFor({ label: 'buy', score: null }).text, '');
});

test('unknown labels and odd scores are shown calmly', () => {
  assert.equal(verdictLabel({ label: 'yolo' }), 'unknown');
  assert.equal(verdictLabel(null), 'unknown');
  assert.equal(verdictScore({ score: 'abc' }), null);
  assert.equal(verdictScore({ score: -3 }), 0);
});

test('tones for prices, grades and sentiment', () => {
  assert.equal(priceTone('good_deal'), 'good');
  assert.equal(priceTone('high'), 'bad');
  assert.equal(priceTone('whatever'), 'neutral');
  assert.deepEqual(['A', 'C', 'F', undefined].map(gradeTone), ['good', 'neutral', 'bad', 'neutral']);
  assert.deepEqual([0.6, 0, -0.2, 'positive', 'negative', null].map(sentimentTone), ['good', 'neutral', 'bad', 'good', 'bad', 'neutral']);
});

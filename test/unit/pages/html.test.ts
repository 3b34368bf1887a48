import assert from 'node:assert/strict';
import { escapeHtml, html, raw } from '../../../src/http/pages/html.js';

describe('html templates', () => {
  it('escapes every character that can end text or an attribute', () => {
    assert.equal(escapeHtml(`<a href="x" onclick='y'>&\`</a>`), '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&#96;&lt;/a&gt;');
  });

  it('escapes interpolated values, keeps Html, joins arrays and drops absent values', () => {
    const name = '"><script>alert(1)</script>';
    const items = ['<b>', html`<i>${'&'}</i>`];
    assert.equal(
      html`<p title="${name}">${items}${undefined}${null}${false}${0}</p>`.toString(),
      '<p title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">&lt;b&gt;<i>&amp;</i>0</p>',
    );
  });

  it('raw() is the only way to emit markup as is', () => {
    assert.equal(html`${raw('<br>')}${'<br>'}`.toString(), '<br>&lt;br&gt;');
  });
});

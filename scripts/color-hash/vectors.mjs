// Prints "input<TAB>hex" lines from the npm color-hash package, the reference our Java port must match.
// Regenerate: (cd scripts/color-hash && npm install --no-audit --no-fund && node vectors.mjs) \
//   > src/test/resources/io/gifchat/identity/color-hash-vectors.tsv
// Inputs are JSON-encoded in the file so that tabs, newlines and non-ASCII survive intact.
import ColorHashModule from 'color-hash';

const ColorHash = ColorHashModule.default ?? ColorHashModule;
const colorHash = new ColorHash();

const inputs = [
  '', 'a', 'b', 'c', 'x', 'Hello', 'hello', 'Hello, World!', 'gif-chat', 'room',
  'chat', 'anonymous', 'admin', '0', '1', '42', '1234567890', '-1', ' ', '  padded  ',
  'tab\there', 'new\nline', 'quote"s', "apostrophe's", 'back\\slash', '<img src=x onerror=alert(1)>',
  '안녕하세요', '채팅방', '익명', 'こんにちは', '你好世界', 'Привет', 'Ελληνικά', 'עברית', 'العربية',
  'émoji 😀', '😀', '👩‍💻', '🏳️‍🌈', 'naïve café', 'Zürich', 'ß', 'ﬁ ligature', '\u0000nul',
  'a'.repeat(100), 'ab'.repeat(300), 'x'.repeat(1000),
  '3f2504e0-4f89-11d3-9a0c-0305e82c3301', 'd1f3a2b4-8c7e-4b5a-9f10-2e3d4c5b6a79',
  '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff',
  'Quiet Otter 42', 'Brave Falcon 7', 'Sleepy Panda 99', 'SESSION', 'session-id',
  'The quick brown fox jumps over the lazy dog', 'Lorem ipsum dolor sit amet',
  '0x7fffffff', 'NaN', 'undefined', 'null', 'true',
];

for (const input of inputs) {
  process.stdout.write(JSON.stringify(input) + '\t' + colorHash.hex(input) + '\n');
}

#!/usr/bin/env node
// Starts a local anvil, deploys the compiled GliskNFT artifact, checks the contract's behaviour and reports
// the gas of revealing tokens one at a time and in batches of 10 and 50.
//
//   node gas-report.js            (run "node compile.js" first)
//
// Environment: ANVIL_BIN (anvil binary, default: the one shipped by @foundry-rs/anvil),
//              ANVIL_PORT (default 18545, any free port if that one is taken),
//              ANVIL_HARDFORK (default "cancun", the compiler's evmVersion).
// Exit status: 0 when every check passes and the gas target is met, 1 otherwise.
'use strict';

const fs = require('fs');
const net = require('net');
const path = require('path');
const crypto = require('crypto');
const { spawn } = require('child_process');
const { ethers } = require('ethers');

const ARTIFACT = path.resolve(__dirname, '..', 'src', 'main', 'resources', 'contracts', 'GliskNFT.json');
const GAS_TARGET_RATIO = 0.4; // per-token gas at batch 50 / gas of a single-token reveal
const PLACEHOLDER = ipfsUri('glisk-placeholder');
const PRICE = ethers.parseEther('0.001');

// ------------------------------------------------------------------------------------------------------
// Small helpers
// ------------------------------------------------------------------------------------------------------

/** ipfs://bafkrei... : a CIDv1 (raw codec, sha2-256) of `seed`, multibase base32 -> 59 characters. */
function ipfsUri(seed) {
  const digest = crypto.createHash('sha256').update(String(seed)).digest();
  const cid = Buffer.concat([Buffer.from([0x01, 0x55, 0x12, 0x20]), digest]);
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of cid) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return `ipfs://b${out}`;
}

const range = (from, count) => Array.from({ length: count }, (_, i) => from + i);

const results = { passed: 0, failed: 0 };
function check(name, ok, detail = '') {
  if (ok) {
    results.passed++;
    console.log(`  ok    ${name}`);
  } else {
    results.failed++;
    console.log(`  FAIL  ${name}${detail ? ` -- ${detail}` : ''}`);
  }
}

function anvilBinary() {
  if (process.env.ANVIL_BIN) return process.env.ANVIL_BIN;
  const arch = { x64: 'amd64', arm64: 'arm64' }[process.arch] || process.arch;
  const exe = process.platform === 'win32' ? 'anvil.exe' : 'anvil';
  try {
    // The platform package @foundry-rs/anvil depends on ships the native binary in bin/.
    const pkg = require.resolve(`@foundry-rs/anvil-${process.platform}-${arch}/package.json`, { paths: [__dirname] });
    return path.join(path.dirname(pkg), 'bin', exe);
  } catch (e) {
    return path.join(__dirname, 'node_modules', '.bin', 'anvil');
  }
}

function portIsFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function anyFreePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function rpcReady(url) {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
    });
    return res.ok;
  } catch (e) {
    return false;
  }
}

async function startAnvil() {
  const preferred = Number(process.env.ANVIL_PORT || 18545);
  const port = (await portIsFree(preferred)) ? preferred : await anyFreePort();
  const bin = anvilBinary();
  const hardfork = process.env.ANVIL_HARDFORK || 'cancun';
  const args = ['--host', '127.0.0.1', '--port', String(port), '--hardfork', hardfork, '--quiet'];
  const started = Date.now();
  const child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  let exited = null;
  child.once('exit', (code, signal) => (exited = { code, signal }));
  const url = `http://127.0.0.1:${port}`;
  while (!(await rpcReady(url))) {
    if (exited) throw new Error(`anvil exited early (${JSON.stringify(exited)}): ${stderr}`);
    if (Date.now() - started > 30000) {
      child.kill('SIGKILL');
      throw new Error(`anvil did not answer on ${url} within 30 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  const startupMs = Date.now() - started;
  console.log(`anvil: ${bin} ${args.join(' ')}  (ready in ${startupMs} ms)`);
  const stop = () => {
    if (!exited) child.kill('SIGTERM');
  };
  process.once('exit', stop);
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.once(sig, () => {
      stop();
      process.exit(130);
    });
  }
  return { url, stop, child };
}

// ------------------------------------------------------------------------------------------------------
// Main
// ------------------------------------------------------------------------------------------------------

async function main() {
  if (!fs.existsSync(ARTIFACT)) throw new Error(`${ARTIFACT} not found: run "node compile.js" first`);
  const artifact = JSON.parse(fs.readFileSync(ARTIFACT, 'utf8'));
  console.log(`artifact: ${path.relative(process.cwd(), ARTIFACT)} (solc ${artifact.compiler.version}, ` +
    `evmVersion ${artifact.compiler.settings.evmVersion})`);

  const anvil = await startAnvil();
  try {
    await run(artifact, anvil.url);
  } finally {
    anvil.stop();
    await new Promise((resolve) => {
      if (anvil.child.exitCode !== null || anvil.child.signalCode !== null) return resolve();
      anvil.child.once('exit', resolve);
      setTimeout(resolve, 5000);
    });
    console.log('anvil stopped');
  }
}

async function run(artifact, url) {
  const provider = new ethers.JsonRpcProvider(url, undefined, { staticNetwork: true, pollingInterval: 20, cacheTimeout: -1 });
  const accounts = await provider.send('eth_accounts', []);
  const [admin, keeper, minterA, minterB, stranger] = await Promise.all(
    accounts.slice(0, 5).map((a) => provider.getSigner(a)),
  );
  const authors = range(0, 6).map((i) => ethers.getAddress(ethers.dataSlice(ethers.id(`author-${i}`), 12)));
  const iface = new ethers.Interface(artifact.abi);

  const factory = new ethers.ContractFactory(artifact.abi, artifact.bytecode, admin);
  const deployed = await factory.deploy('Glisk', 'GLISK', PLACEHOLDER, 0n);
  const deployReceipt = await deployed.deploymentTransaction().wait();
  const nft = deployed.connect(admin);
  const address = await nft.getAddress();
  console.log(`deployed GliskNFT at ${address} (gasUsed ${deployReceipt.gasUsed})`);
  const as = (signer) => nft.connect(signer);

  /** Runs `fn` (a staticCall) and checks it reverts with the custom error `name` and `args`. */
  async function expectRevert(label, fn, name, args) {
    try {
      await fn();
      check(label, false, 'did not revert');
    } catch (e) {
      const data = e && (e.data || (e.info && e.info.error && e.info.error.data));
      let parsed = null;
      try {
        parsed = data ? iface.parseError(data) : null;
      } catch (ignored) {
        // not one of our errors
      }
      const gotArgs = parsed ? parsed.args.map((a) => a.toString()) : [];
      const wantArgs = (args || []).map((a) => a.toString());
      const ok = parsed && parsed.name === name && JSON.stringify(gotArgs) === JSON.stringify(wantArgs);
      check(label, ok, `expected ${name}(${wantArgs}) got ${parsed ? `${parsed.name}(${gotArgs})` : e.shortMessage || e.message}`);
    }
  }

  const events = (receipt, name) =>
    receipt.logs
      .filter((l) => l.address.toLowerCase() === address.toLowerCase())
      .map((l) => {
        try {
          return iface.parseLog(l);
        } catch (e) {
          return null;
        }
      })
      .filter((e) => e && e.name === name);

  console.log('\n== deployment');
  check('nextTokenId() is 1 before any mint', (await nft.nextTokenId()) === 1n);
  check('KEEPER_ROLE == keccak256("KEEPER_ROLE")', (await nft.KEEPER_ROLE()) === ethers.id('KEEPER_ROLE'));
  check('deployer holds DEFAULT_ADMIN_ROLE', await nft.hasRole(ethers.ZeroHash, await admin.getAddress()));
  check('mintPrice is the constructor value (0)', (await nft.mintPrice()) === 0n);
  for (const [name, id] of [['ERC721', '0x80ac58cd'], ['ERC721Metadata', '0x5b5e139f'], ['AccessControl', '0x7965db0b'], ['ERC4906', '0x49064906']]) {
    check(`supportsInterface(${name})`, await nft.supportsInterface(id));
  }

  console.log('\n== mint');
  await expectRevert('setMintPrice by a non-admin reverts', () => as(stranger).setMintPrice.staticCall(1n),
    'AccessControlUnauthorizedAccount', [await stranger.getAddress(), ethers.ZeroHash]);
  await (await nft.setMintPrice(PRICE)).wait();
  check('setMintPrice by the admin', (await nft.mintPrice()) === PRICE);
  await expectRevert('mint quantity 0 reverts', () => as(minterA).mint.staticCall(authors[0], 0, { value: 0 }), 'InvalidQuantity', [0]);
  await expectRevert('mint quantity 51 reverts', () => as(minterA).mint.staticCall(authors[0], 51, { value: PRICE * 51n }), 'InvalidQuantity', [51]);
  await expectRevert('mint with too little value reverts', () => as(minterA).mint.staticCall(authors[0], 3, { value: PRICE * 3n - 1n }),
    'InsufficientPayment', [PRICE * 3n, PRICE * 3n - 1n]);

  const expectedAuthor = new Map(); // tokenId -> author
  let paidTotal = 0n;
  const mintGas = [];
  async function mintBatch(signer, author, quantity, value) {
    const start = await nft.nextTokenId();
    const receipt = await (await as(signer).mint(author, quantity, { value })).wait();
    const minter = await signer.getAddress();
    const batch = events(receipt, 'BatchMinted');
    const transfers = events(receipt, 'Transfer');
    const b = batch[0] && batch[0].args;
    const label = `mint(${quantity}) from token ${start}`;
    check(`${label}: exactly one BatchMinted with minter/promptAuthor/startTokenId/quantity/totalPaid`,
      batch.length === 1 && b.minter === minter && b.promptAuthor === author && b.startTokenId === start &&
        b.quantity === BigInt(quantity) && b.totalPaid === value,
      JSON.stringify(b && b.toArray().map(String)));
    check(`${label}: ${quantity} Transfer events 0x0 -> minter with sequential ids`,
      transfers.length === quantity &&
        transfers.every((t, i) => t.args.from === ethers.ZeroAddress && t.args.to === minter && t.args.tokenId === start + BigInt(i)));
    check(`${label}: nextTokenId advanced by ${quantity}`, (await nft.nextTokenId()) === start + BigInt(quantity));
    for (let i = 0n; i < BigInt(quantity); i++) expectedAuthor.set(Number(start + i), author);
    paidTotal += value;
    mintGas.push({ quantity, gas: receipt.gasUsed });
  }
  await mintBatch(minterA, authors[0], 50, PRICE * 50n);
  await mintBatch(minterB, authors[1], 50, PRICE * 50n + 12345n); // overpaying is accepted
  await mintBatch(minterA, authors[2], 50, PRICE * 50n);
  await mintBatch(minterB, authors[3], 50, PRICE * 50n);
  check('200 tokens minted, nextTokenId() == 201', (await nft.nextTokenId()) === 201n);
  check('ownerOf(1) is minter A, ownerOf(51) is minter B',
    (await nft.ownerOf(1)) === (await minterA.getAddress()) && (await nft.ownerOf(51)) === (await minterB.getAddress()));

  const expectedUri = new Map(); // tokenId -> revealed URI
  async function verifyAll(label, ids) {
    let badUri = [];
    let badFlag = [];
    let badAuthor = [];
    for (const id of ids) {
      const want = expectedUri.get(id);
      const [uri, revealed, author] = await Promise.all([nft.tokenURI(id), nft.isRevealed(id), nft.tokenPromptAuthor(id)]);
      if (uri !== (want === undefined ? PLACEHOLDER : want)) badUri.push(id);
      if (revealed !== (want !== undefined)) badFlag.push(id);
      if (author !== expectedAuthor.get(id)) badAuthor.push(id);
    }
    const revealedCount = ids.filter((id) => expectedUri.has(id)).length;
    check(`${label}: tokenURI of ${ids.length} tokens (${revealedCount} revealed) is the given URI / the placeholder`,
      badUri.length === 0, `wrong for ${badUri.slice(0, 10)}`);
    check(`${label}: isRevealed matches for ${ids.length} tokens`, badFlag.length === 0, `wrong for ${badFlag.slice(0, 10)}`);
    check(`${label}: tokenPromptAuthor matches the mint call for ${ids.length} tokens`, badAuthor.length === 0,
      `wrong for ${badAuthor.slice(0, 10)}`);
  }
  await verifyAll('before reveal', range(1, 200));
  await expectRevert('tokenPromptAuthor(0) reverts', () => nft.tokenPromptAuthor.staticCall(0), 'ERC721NonexistentToken', [0]);
  await expectRevert('tokenPromptAuthor(201) reverts', () => nft.tokenPromptAuthor.staticCall(201), 'ERC721NonexistentToken', [201]);
  await expectRevert('tokenURI(201) reverts', () => nft.tokenURI.staticCall(201), 'ERC721NonexistentToken', [201]);

  console.log('\n== reveal: access and argument checks');
  const KEEPER = ethers.id('KEEPER_ROLE');
  await (await nft.grantRole(KEEPER, await keeper.getAddress())).wait();
  check('keeper granted KEEPER_ROLE', await nft.hasRole(KEEPER, await keeper.getAddress()));
  await expectRevert('revealTokens by a non-keeper reverts', () => as(stranger).revealTokens.staticCall([1], [ipfsUri(1)]),
    'AccessControlUnauthorizedAccount', [await stranger.getAddress(), KEEPER]);
  await expectRevert('revealTokens by the token owner (not keeper) reverts', () => as(minterA).revealTokens.staticCall([1], [ipfsUri(1)]),
    'AccessControlUnauthorizedAccount', [await minterA.getAddress(), KEEPER]);
  await expectRevert('LengthMismatch (2 ids, 1 uri)', () => as(keeper).revealTokens.staticCall([1, 2], [ipfsUri(1)]), 'LengthMismatch', []);
  await expectRevert('LengthMismatch (1 id, 2 uris)', () => as(keeper).revealTokens.staticCall([1], [ipfsUri(1), ipfsUri(2)]), 'LengthMismatch', []);
  await expectRevert('empty reveal reverts', () => as(keeper).revealTokens.staticCall([], []), 'EmptyReveal', []);
  await expectRevert('reveal of token 0 reverts', () => as(keeper).revealTokens.staticCall([0], ['x']), 'ERC721NonexistentToken', [0]);
  await expectRevert('reveal of an unminted token reverts (whole batch)', () => as(keeper).revealTokens.staticCall([3, 201], ['a', 'b']),
    'ERC721NonexistentToken', [201]);

  console.log('\n== reveal: gas');
  const gas = { 1: [], 10: [], 50: [] };
  async function reveal(signer, ids, uris = ids.map((id) => ipfsUri(`token-${id}`))) {
    const receipt = await (await as(signer).revealTokens(ids, uris)).wait();
    ids.forEach((id, i) => expectedUri.set(id, uris[i]));
    return receipt;
  }
  // Singles: tokens 1..16 one per transaction (token 1 and 8 open a fresh pointer slot, the others share one).
  for (const id of range(1, 16)) gas[1].push((await reveal(keeper, [id])).gasUsed);
  // Batches of 10: tokens 17..46.
  for (const start of [17, 27, 37]) gas[10].push((await reveal(keeper, range(start, 10))).gasUsed);
  // Batches of 50: tokens 51..200.
  let lastReceipt;
  for (const start of [51, 101, 151]) {
    lastReceipt = await reveal(keeper, range(start, 50));
    gas[50].push(lastReceipt.gasUsed);
  }
  const revealed = events(lastReceipt, 'TokensRevealed');
  check('TokensRevealed carries the batch token ids',
    revealed.length === 1 && JSON.stringify(revealed[0].args.tokenIds.map(Number)) === JSON.stringify(range(151, 50)));
  const metadata = events(lastReceipt, 'BatchMetadataUpdate');
  check('BatchMetadataUpdate(151, 200) emitted (ERC-4906)',
    metadata.length === 1 && metadata[0].args._fromTokenId === 151n && metadata[0].args._toTokenId === 200n);

  console.log('\n== reveal: behaviour');
  // The admin may reveal too.
  await reveal(admin, [47, 48], [ipfsUri('token-47'), 'https://example.org/metadata/48.json?v=1&name=' + 'x'.repeat(150)]);
  check('admin (no KEEPER_ROLE) can reveal', await nft.isRevealed(47));
  // AlreadyRevealed: the whole batch reverts, unrevealed tokens in it stay unrevealed.
  await expectRevert('AlreadyRevealed when the batch contains a revealed token', () =>
    as(keeper).revealTokens.staticCall([49, 5, 50], [ipfsUri(49), ipfsUri(5), ipfsUri(50)]), 'AlreadyRevealed', [5]);
  // Sent raw (fixed gas, no estimate) so the reverting transaction is really mined.
  const failedHash = await provider.send('eth_sendTransaction', [{
    from: await keeper.getAddress(), to: address, gas: ethers.toQuantity(1_000_000),
    data: iface.encodeFunctionData('revealTokens', [[49, 5, 50], [ipfsUri(49), ipfsUri(5), ipfsUri(50)]]),
  }]);
  const failed = await provider.getTransactionReceipt(failedHash);
  check('...sent as a transaction it is mined with status 0', failed && failed.status === 0);
  check('...and tokens 49 and 50 of that batch stay unrevealed', !(await nft.isRevealed(49)) && !(await nft.isRevealed(50)));
  check('...and token 5 keeps its URI', (await nft.tokenURI(5)) === expectedUri.get(5));
  await expectRevert('AlreadyRevealed for a token listed twice in one batch', () =>
    as(keeper).revealTokens.staticCall([49, 49], [ipfsUri(49), ipfsUri(49)]), 'AlreadyRevealed', [49]);
  await reveal(keeper, [50, 49], ['ipfs://bafkreiunicode/\u00e9t\u00e9-\u{1F600}.json', ipfsUri('token-49')]);
  await verifyAll('after reveals', range(1, 200));

  console.log('\n== reveal: large batches are split into several data contracts');
  for (let i = 0; i < 8; i++) await mintBatch(i % 2 ? minterA : minterB, authors[4 + (i % 2)], 50, PRICE * 50n);
  await mintBatch(minterA, authors[0], 7, PRICE * 7n);
  check('607 tokens minted, nextTokenId() == 608', (await nft.nextTokenId()) === 608n);
  // 300 entries > 256 per chunk.
  const big = await reveal(keeper, range(201, 300));
  check('reveal of 300 tokens in one call', big.status === 1, `gasUsed ${big.gasUsed}`);
  // 60 x 450-byte URIs = 27,000 bytes > 24,576-byte code size limit.
  const longUris = range(501, 60).map((id) => `${ipfsUri(`long-${id}`)}/${String(id).padStart(3, '0')}-${'m'.repeat(380)}.json`);
  const long = await reveal(keeper, range(501, 60), longUris);
  check('reveal of 60 x 450-byte URIs (27 kB) in one call', long.status === 1, `gasUsed ${long.gasUsed}`);
  await expectRevert('a single URI larger than a chunk reverts', () =>
    as(keeper).revealTokens.staticCall([561], ['u'.repeat(24576)]), 'URITooLong', [561]);
  await verifyAll('after large reveals', range(1, 607));

  console.log('\n== withdraw');
  check('contract holds all mint payments', (await provider.getBalance(address)) === paidTotal);
  const strangerAddress = await stranger.getAddress();
  await expectRevert('withdraw by a non-admin reverts', () => as(stranger).withdraw.staticCall(strangerAddress),
    'AccessControlUnauthorizedAccount', [await stranger.getAddress(), ethers.ZeroHash]);
  const to = ethers.Wallet.createRandom().address;
  await (await nft.withdraw(to)).wait();
  check('withdraw moves the balance to the given address',
    (await provider.getBalance(to)) === paidTotal && (await provider.getBalance(address)) === 0n);

  // ----------------------------------------------------------------------------------------------------
  console.log('\n== gas report (gasUsed of the whole transaction, 21,000 base included)');
  const fmt = (n) => Number(n).toLocaleString('en-US');
  const stats = (list) => {
    const nums = list.map(Number);
    return { min: Math.min(...nums), max: Math.max(...nums), mean: nums.reduce((a, b) => a + b, 0) / nums.length };
  };
  const rows = [];
  for (const size of [1, 10, 50]) {
    const s = stats(gas[size]);
    rows.push({ size, ...s, perToken: { min: s.min / size, max: s.max / size, mean: s.mean / size } });
    console.log(`batch ${String(size).padStart(2)}: ${gas[size].length} txs, total min ${fmt(s.min)} / mean ${fmt(Math.round(s.mean))} / max ${fmt(s.max)}` +
      `  -> per token min ${fmt(Math.round(s.min / size))} / mean ${fmt(Math.round(s.mean / size))} / max ${fmt(Math.round(s.max / size))}`);
  }
  console.log(`single reveals, tx by tx: ${gas[1].map(fmt).join(', ')}`);
  const [one, , fifty] = rows;
  const ratioMean = fifty.perToken.mean / one.mean;
  const ratioWorst = fifty.perToken.max / one.min; // most expensive batch of 50 vs cheapest single reveal
  console.log(`ratio per-token(50) / per-token(1): mean ${ratioMean.toFixed(3)}, worst case ${ratioWorst.toFixed(3)} (target <= ${GAS_TARGET_RATIO})`);
  console.log(`other: deploy ${fmt(deployReceipt.gasUsed)}, mint(50) ${fmt(mintGas[0].gas)} (${fmt(Math.round(Number(mintGas[0].gas) / 50))}/token), ` +
    `reveal 300 x 66 B ${fmt(big.gasUsed)} (${fmt(Math.round(Number(big.gasUsed) / 300))}/token), ` +
    `reveal 60 x 450 B ${fmt(long.gasUsed)} (${fmt(Math.round(Number(long.gasUsed) / 60))}/token)`);
  const tu = await nft.tokenURI.estimateGas(60);
  const ir = await nft.isRevealed.estimateGas(60);
  console.log(`view calls (eth_estimateGas, 21,000 base included): tokenURI ${fmt(tu)}, isRevealed ${fmt(ir)}`);
  check(`gas target: worst-case ratio ${ratioWorst.toFixed(3)} <= ${GAS_TARGET_RATIO}`, ratioWorst <= GAS_TARGET_RATIO);
}

main()
  .catch((e) => {
    results.failed++;
    console.error(e && e.stack ? e.stack : e);
  })
  .finally(() => {
    console.log(`\n${results.passed} passed, ${results.failed} failed`);
    process.exitCode = results.failed === 0 ? 0 : 1;
  });

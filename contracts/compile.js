#!/usr/bin/env node
// Compiles GliskNFT.sol with the npm solc (solcjs, no download) through the standard-JSON API and writes
// ../src/main/resources/contracts/GliskNFT.json. Output is deterministic: same inputs, same bytes.
//
//   node compile.js          write the artifact
//   node compile.js --check  exit 1 if the committed artifact differs from a fresh compile
'use strict';

const fs = require('fs');
const path = require('path');
const solc = require('solc');

const CONTRACT = 'GliskNFT';
const SOURCE_FILE = `${CONTRACT}.sol`;
const ARTIFACT = path.resolve(__dirname, '..', 'src', 'main', 'resources', 'contracts', `${CONTRACT}.json`);

const SETTINGS = {
  evmVersion: 'cancun',
  optimizer: { enabled: true, runs: 200 },
  metadata: { bytecodeHash: 'ipfs' },
  outputSelection: {
    [SOURCE_FILE]: { [CONTRACT]: ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] },
  },
};

function findImport(importPath) {
  // Only package imports (e.g. @openzeppelin/contracts/...) are resolved, from this folder's node_modules.
  try {
    const resolved = require.resolve(importPath, { paths: [__dirname] });
    return { contents: fs.readFileSync(resolved, 'utf8') };
  } catch (e) {
    return { error: `File not found: ${importPath}` };
  }
}

function dependencyVersion(name) {
  return require(require.resolve(`${name}/package.json`, { paths: [__dirname] })).version;
}

function compile() {
  const input = {
    language: 'Solidity',
    sources: { [SOURCE_FILE]: { content: fs.readFileSync(path.join(__dirname, SOURCE_FILE), 'utf8') } },
    settings: SETTINGS,
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImport }));
  const problems = output.errors || [];
  for (const p of problems) {
    (p.severity === 'error' ? console.error : console.warn)(p.formattedMessage || p.message);
  }
  if (problems.some((p) => p.severity === 'error')) {
    throw new Error('compilation failed');
  }
  const contract = output.contracts[SOURCE_FILE][CONTRACT];
  const { outputSelection, ...settings } = SETTINGS;
  return {
    contractName: CONTRACT,
    abi: contract.abi,
    bytecode: '0x' + contract.evm.bytecode.object,
    deployedBytecode: '0x' + contract.evm.deployedBytecode.object,
    compiler: {
      name: 'solc',
      version: solc.version(),
      settings,
      dependencies: { '@openzeppelin/contracts': dependencyVersion('@openzeppelin/contracts') },
      source: `contracts/${SOURCE_FILE}`,
    },
  };
}

function main() {
  const artifact = compile();
  const text = JSON.stringify(artifact, null, 2) + '\n';
  const runtimeSize = (artifact.deployedBytecode.length - 2) / 2;
  if (process.argv.includes('--check')) {
    const current = fs.existsSync(ARTIFACT) ? fs.readFileSync(ARTIFACT, 'utf8') : '';
    if (current !== text) {
      console.error(`${path.relative(process.cwd(), ARTIFACT)} is stale: run "node compile.js" in contracts/`);
      process.exit(1);
    }
    console.log(`${path.relative(process.cwd(), ARTIFACT)} is up to date (solc ${artifact.compiler.version})`);
    return;
  }
  fs.mkdirSync(path.dirname(ARTIFACT), { recursive: true });
  fs.writeFileSync(ARTIFACT, text);
  console.log(
    `wrote ${path.relative(process.cwd(), ARTIFACT)}: solc ${artifact.compiler.version}, ` +
      `evmVersion ${SETTINGS.evmVersion}, runtime ${runtimeSize} bytes`,
  );
}

main();

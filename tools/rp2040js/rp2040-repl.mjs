#!/usr/bin/env node
// rp2040-repl.mjs: run an RP2040 UF2 firmware (MicroPython / CircuitPython) in
// rp2040js and bridge its USB CDC serial port to stdin/stdout as raw bytes, so
// that tools/pyboard.py (and so tests/run-tests.py) can drive it via
// `exec:node rp2040-repl.mjs FIRMWARE.uf2`.
//
// usage: node rp2040-repl.mjs FIRMWARE.uf2 [--bootrom PATH] [--press-key]
//                             [--linger MS] [--verbose]
//   --bootrom PATH  RP2040 B1 boot ROM image (16384 bytes; the upstream snapshots folder
//                   has it as rp2040/bootrom-b1.bin); default $RP2040_BOOTROM
//   --press-key     CircuitPython: each time "Press any key to enter the REPL" shows
//                   up, send one CR; stdin bytes are held back until the first
//                   time, so that the host's first bytes are not eaten as "the key"
//   --linger MS     after stdin closes: once all input reached the device, exit when
//                   the device has been silent for MS ms of real time (default 700)
//   --verbose       keep rp2040js's warnings (stderr) instead of silencing them
import { readFileSync } from 'node:fs';
import { Simulator, USBCDC, ConsoleLogger, LogLevel } from 'rp2040js';
import { decodeBlock } from 'uf2';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  if (i < 0) return dflt;
  const [, v] = args.splice(i, 2);
  return v;
};
const flag = (name) => { const i = args.indexOf(name); if (i >= 0) args.splice(i, 1); return i >= 0; };
const bootromPath = opt('--bootrom', process.env.RP2040_BOOTROM);
const lingerMs = Number(opt('--linger', '700'));
const pressKey = flag('--press-key');
const verbose = flag('--verbose');
if (args.length !== 1 || args[0].startsWith('--') || !bootromPath) {
  process.stderr.write('usage: node rp2040-repl.mjs FIRMWARE.uf2 [--bootrom PATH] [--press-key] [--linger MS] [--verbose]\n');
  process.exit(2);
}

// rp2040js reports unemulated registers (e.g. "Read from invalid SIO address")
// with console.warn directly, not through mcu.logger: that floods stderr, and a
// flood of synchronous stderr writes also slows the emulation down a lot.
if (!verbose) console.warn = () => {};

const sim = new Simulator();
const mcu = sim.rp2040;
mcu.logger = new ConsoleLogger(verbose ? LogLevel.Warn : LogLevel.Error);
const rom = readFileSync(bootromPath);
if (rom.length !== 16384) throw new Error(`${bootromPath}: expected 16384 bytes, got ${rom.length}`);
// loadBootrom() resets the chip (SP/PC from the ROM vectors) and erases flash to
// 0xff, so the UF2 must be written after it. Copy: a Buffer may be unaligned.
mcu.loadBootrom(new Uint32Array(new Uint8Array(rom).buffer));

// Write each UF2 block's payload at its flash offset (flash is mapped at 0x10000000).
const uf2 = readFileSync(args[0]);
let blocks = 0;
for (let off = 0; off + 512 <= uf2.length; off += 512) {
  const b = decodeBlock(uf2.subarray(off, off + 512));
  if (b.flags & 1) continue; // "not main flash" blocks carry no image data
  const addr = b.flashAddress - 0x10000000;
  if (addr < 0 || addr + b.payload.length > mcu.flash.length) continue;
  mcu.flash.set(b.payload, addr);
  blocks++;
}
if (!blocks) throw new Error(`${args[0]}: no RP2040 flash blocks in UF2`);

// Like the rp2040js demos: start at the start of flash (boot2, which sets up
// XIP and jumps to the vector table at 0x10000100), skipping the ROM's own
// flash probing. The ROM is still needed for its function table (flash ops...).
mcu.core.PC = 0x10000000;

// Host side of USB: USBCDC enumerates the device, sets DTR|RTS (MicroPython's
// and TinyUSB's CDC only talk once DTR is set), then polls the OUT endpoint.
const cdc = new USBCDC(mcu.usbCtrl);
const queue = []; // stdin bytes not yet handed to the device (unbounded)
let connected = false;
let held = pressKey; // --press-key: hold stdin until the key was sent
let lastOut = Date.now();
let stdinEnded = false;

// cdc.txFIFO holds only 512 bytes and silently drops on overflow, so refill it
// from our own queue just before the device reads its OUT endpoint.
function pump() {
  if (!connected || held) return;
  let n = 0;
  while (n < queue.length && !cdc.txFIFO.full) cdc.sendSerialByte(queue[n++]);
  if (n) queue.splice(0, n);
}
const deviceRead = mcu.usbCtrl.onEndpointRead;
mcu.usbCtrl.onEndpointRead = (ep, size) => { pump(); deviceRead(ep, size); };
cdc.onDeviceConnected = () => { connected = true; pump(); };

const PROMPT = Buffer.from('Press any key to enter the REPL');
let tail = Buffer.alloc(0); // last output bytes, to spot PROMPT across packets
cdc.onSerialData = (data) => {
  const buf = Buffer.from(data); // copy: rp2040js may reuse the buffer
  lastOut = Date.now();
  process.stdout.write(buf);
  if (pressKey) {
    tail = Buffer.concat([tail, buf]).subarray(-256);
    if (tail.includes(PROMPT)) { // at boot and again after each soft reload
      tail = Buffer.alloc(0);
      held = false;
      cdc.sendSerialByte(0x0d);
      pump();
    }
  }
};

process.stdin.on('data', (chunk) => { for (const b of chunk) queue.push(b); pump(); });
process.stdin.on('end', () => { stdinEnded = true; });
process.stdout.on('error', () => process.exit(0)); // reader went away (EPIPE)
for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(sig, () => process.exit(0));

// Exit after stdin closed, all of it was delivered, and the device went quiet.
setInterval(() => {
  if (stdinEnded && connected && !held && queue.length === 0 && cdc.txFIFO.empty &&
      Date.now() - lastOut >= lingerMs) {
    sim.stop();
    process.exit(0);
  }
}, 50).unref();

// Simulator.execute() runs ~1M instructions per batch on a simulated 125 MHz
// clock (idle WFI time is skipped to the next timer alarm, so it runs as fast
// as the host allows), then yields to the event loop via setTimeout(0) so
// stdin, stdout and timers get serviced.
sim.execute();

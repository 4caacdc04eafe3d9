#!/usr/bin/env node
// rp2040-repl.mjs: run an RP2040 UF2 firmware (MicroPython / CircuitPython) in
// rp2040js and bridge its USB CDC serial port to stdin/stdout as raw bytes, so
// that tools/pyboard.py (and so tests/run-tests.py) can drive it via
// `exec:node rp2040-repl.mjs FIRMWARE.uf2`.
//
// usage: node rp2040-repl.mjs FIRMWARE.uf2 [options]
//   --bootrom PATH  RP2040 B1 boot ROM image (16384 bytes; the upstream snapshots folder
//                   has it as rp2040/bootrom-b1.bin); default $RP2040_BOOTROM
//   --press-key     CircuitPython: send a CR each time "Press any key to enter the
//                   REPL" shows up; stdin is held back until the first time
//   --linger MS     after stdin closes: once all input reached the device, exit when
//                   the device has been silent for MS ms of real time (default 700)
//   --verbose       keep rp2040js's warnings (stderr) instead of silencing them
import { readFileSync } from 'node:fs';
import { Simulator, USBCDC, ConsoleLogger, LogLevel } from 'rp2040js';
import { decodeBlock } from 'uf2';

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i < 0 ? dflt : args.splice(i, 2)[1]; };
const flag = (name) => { const i = args.indexOf(name); if (i >= 0) args.splice(i, 1); return i >= 0; };
const bootromPath = opt('--bootrom', process.env.RP2040_BOOTROM);
const lingerMs = Number(opt('--linger', '700')), pressKey = flag('--press-key'), verbose = flag('--verbose');
if (args.length !== 1 || !bootromPath || args[0].startsWith('--')) {
  process.stderr.write('usage: node rp2040-repl.mjs FIRMWARE.uf2 [--bootrom PATH] [--press-key] [--linger MS] [--verbose]\n');
  process.exit(2);
}

// rp2040js reports unemulated registers (e.g. "Read from invalid SIO address")
// with console.warn directly, not through mcu.logger: that floods stderr, and a
// flood of synchronous stderr writes also slows the emulation down a lot.
if (!verbose) console.warn = () => {};

const sim = new Simulator(), mcu = sim.rp2040; // its clock + chip; own loop below
mcu.logger = new ConsoleLogger(verbose ? LogLevel.Warn : LogLevel.Error);
const rom = readFileSync(bootromPath);
if (rom.length !== 16384) throw new Error(`${bootromPath}: expected 16384 bytes, got ${rom.length}`);
// loadBootrom() resets the chip (SP/PC from the ROM vectors) and erases flash to
// 0xff, so the UF2 must be written after it. Copy: a Buffer may be unaligned.
mcu.loadBootrom(new Uint32Array(new Uint8Array(rom).buffer));

// Write each UF2 block's payload at its flash offset (flash is mapped at 0x10000000).
const uf2 = readFileSync(args[0]); let blocks = 0;
for (let off = 0; off + 512 <= uf2.length; off += 512) {
  const b = decodeBlock(uf2.subarray(off, off + 512)), addr = b.flashAddress - 0x10000000;
  if (b.flags & 1) continue; // "not main flash" blocks carry no image data
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
const usb = mcu.usbCtrl;
const cdc = new USBCDC(usb);
const queue = []; // stdin bytes not yet handed to the device (unbounded)
let connected = false, stdinEnded = false, lastOut = Date.now();
let held = pressKey; // --press-key: hold stdin until the key was sent

// cdc.txFIFO holds only 512 bytes and silently drops on overflow, so refill it
// from our own queue just before the device reads its OUT endpoint.
function pump() {
  if (!connected || held) return;
  let n = 0;
  while (n < queue.length && !cdc.txFIFO.full) cdc.sendSerialByte(queue[n++]);
  if (n) { queue.splice(0, n); lastOut = Date.now(); } // --linger counts from here too
}
const deviceRead = usb.onEndpointRead;
usb.onEndpointRead = (ep, size) => { pump(); deviceRead(ep, size); };
cdc.onDeviceConnected = () => { connected = true; lastOut = Date.now(); pump(); };

const PROMPT = Buffer.from('Press any key to enter the REPL');
let tail = Buffer.alloc(0); // last output bytes, to spot PROMPT across packets
cdc.onSerialData = (data) => {
  const buf = Buffer.from(data); // copy: rp2040js may reuse the buffer
  lastOut = Date.now();
  process.stdout.write(buf);
  if (!pressKey) return;
  tail = Buffer.concat([tail, buf]).subarray(-256);
  if (tail.includes(PROMPT)) { // at boot and again after each soft reload
    tail = Buffer.alloc(0);
    held = false;
    cdc.sendSerialByte(0x0d);
    pump();
  }
};

// On a terminal: raw mode, so Ctrl-C etc. reach the device; Ctrl-] quits.
if (process.stdin.isTTY) process.stdin.setRawMode(true);
process.stdin.on('data', (chunk) => {
  if (process.stdin.isTTY && chunk.includes(0x1d)) process.exit(0);
  for (const b of chunk) queue.push(b);
  pump();
});
process.stdin.on('end', () => { stdinEnded = true; });
process.stdout.on('error', () => process.exit(0)); // reader went away (EPIPE)
for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(sig, () => process.exit(0));

// Exit after stdin closed, all of it was delivered, and the device went quiet.
setInterval(() => {
  if (stdinEnded && connected && !held && !queue.length && cdc.txFIFO.empty &&
      Date.now() - lastOut >= lingerMs) process.exit(0);
}, 50).unref();

// rp2040js raises no device-mode SOF interrupt, but MicroPython flushes CDC
// output (e.g. the boot banner) from its SOF callback once DTR is set: without
// this the device stays silent until the host sends a byte. Raise it every
// simulated ms while enabled; reading SOF_RD acknowledges it, as on hardware.
const { clock } = sim, DEV_SOF = 1 << 17, SOF_RD = 0x48;
const usbRead = usb.readUint32.bind(usb);
usb.readUint32 = (off) => (off === SOF_RD && ((usb.intRaw &= ~DEV_SOF), usb.checkInterrupts()), usbRead(off));
const sof = clock.createAlarm(() => {
  if (!usb.hostMode && usb.intEnable & DEV_SOF) {
    usb.sofFrameNumber = (usb.sofFrameNumber + 1) & 0x7ff;
    usb.intRaw |= DEV_SOF;
    usb.checkInterrupts();
  }
  sof.schedule(1e6);
});
sof.schedule(1e6);

// A BKPT stops the core. Stay alive but silent rather than exit: pyboard.py's
// exec: reader spins forever on a dead child, while a silent one times out.
let halted = false;
mcu.onBreak = (code) => { halted = true; process.stderr.write(`rp2040-repl: BKPT ${code}, core halted\n`); };

// Main loop, as Simulator.execute() (simulated 125 MHz clock; while the core
// sleeps in WFI/WFE, time jumps to the next alarm, so the firmware runs as fast
// as the host allows) but in ~10 ms slices yielded with setImmediate: its 1M-
// instruction slices + setTimeout(0) add ~50 ms to each host<->device round trip.
const core = mcu.core, CYCLE_NS = 1e9 / 125e6;
function run() {
  const end = performance.now() + 10;
  do {
    for (let i = 0; i < 20000; i++) {
      if (core.waiting) clock.tick(clock.nanosToNextAlarm);
      else clock.tick(core.executeInstruction() * CYCLE_NS);
    }
  } while (performance.now() < end && !halted);
  if (!halted) setImmediate(run);
}
run();

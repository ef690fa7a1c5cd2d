// A real STOMP client against the server: @stomp/stompjs (the library the browser page uses) over Node's `ws`.
//
//   node client.mjs ws://127.0.0.1:<port>/ws
//
// Runs one scenario with two clients (connect, CONNECTED headers, subscribe with receipts, publish with a receipt
// seen by both clients, a user-defined header with special chars, idle heart-beats, unsubscribe, disconnect) plus a
// third client that subscribes where it may not. It records what it observed and prints ONE JSON line on stdout:
// {"ok":true,...} and exit 0, or {"ok":false,"step":...,"error":...} and exit 1, with the last raw frames on stderr.
// Judging the observations is left to the JUnit test (io.gifchat.messaging.NodeStompClientTest); this script fails
// only when a step cannot complete (time-out, ERROR frame, unexpected close). The whole run is bounded by TOTAL_TIMEOUT_MS.
//
// Assumes the server runs with gifchat.stomp.open-destinations containing /topic/test and heart-beats of 1s.

import { Client } from '@stomp/stompjs';
import WebSocket from 'ws';

const url = process.argv[2];
if (!url) {
  console.log(JSON.stringify({ ok: false, step: 'args', error: 'usage: node client.mjs ws://host:port/ws' }));
  process.exit(1);
}

const PROTOCOLS = ['v12.stomp', 'v11.stomp', 'v10.stomp'];
const DESTINATION = '/topic/test';
const NOT_OPEN_DESTINATION = '/topic/not-open';
const HEARTBEAT_MS = Number(process.env.HEARTBEAT_MS ?? 1000);
const IDLE_MS = Number(process.env.IDLE_MS ?? 3500);
const STEP_TIMEOUT_MS = Number(process.env.STEP_TIMEOUT_MS ?? 8000);
const TOTAL_TIMEOUT_MS = Number(process.env.TOTAL_TIMEOUT_MS ?? 60000);

const t0 = Date.now();
const log = [];
let currentStep = 'start';

function visible(text) {
  return String(text).replace(/\0/g, '^@').replace(/\r/g, '\\r').replace(/\n/g, '\\n');
}

function note(who, line) {
  log.push(`+${Date.now() - t0}ms ${who} ${visible(line)}`);
  if (log.length > 400) {
    log.shift();
  }
}

function fail(error) {
  const message = error instanceof Error ? error.message : String(error);
  for (const line of log.slice(-120)) {
    process.stderr.write(line + '\n');
  }
  process.stdout.write(JSON.stringify({ ok: false, step: currentStep, error: message }) + '\n');
  process.exit(1);
}

const totalTimer = setTimeout(() => fail(`whole run exceeded ${TOTAL_TIMEOUT_MS}ms`), TOTAL_TIMEOUT_MS);
process.on('unhandledRejection', fail);
process.on('uncaughtException', fail);

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

/** Polls until check() is truthy; fails the step on a time-out or as soon as a client saw something fatal. */
async function until(what, check, clients = [], timeoutMs = STEP_TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) {
      return value;
    }
    for (const c of clients) {
      if (c.fatal.length > 0) {
        throw new Error(`${c.name} while waiting for ${what}: ${c.fatal.join('; ')}`);
      }
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}`);
    }
    await sleep(20);
  }
}

/** One STOMP client and everything it observed. `expectError` makes ERROR frames and closes non-fatal. */
function stomp(name, { expectError = false } = {}) {
  const c = {
    name,
    ws: undefined,
    connectedHeaders: undefined,
    receipts: {},
    unhandledMessages: [],
    unhandledReceipts: [],
    errorFrames: [],
    closes: [],
    fatal: [],
    heartbeatsReceived: 0,
    heartbeatsSent: 0,
    disconnectReceipt: undefined,
  };
  c.client = new Client({
    webSocketFactory: () => {
      c.ws = new WebSocket(url, PROTOCOLS);
      return c.ws;
    },
    heartbeatIncoming: HEARTBEAT_MS,
    heartbeatOutgoing: HEARTBEAT_MS,
    reconnectDelay: 0,
    connectionTimeout: STEP_TIMEOUT_MS,
    logRawCommunication: true,
    debug: line => {
      if (line === '>>> PING') {
        c.heartbeatsSent++;
      }
      note(name, line);
    },
    onConnect: frame => {
      c.connectedHeaders = { ...frame.headers };
    },
    onHeartbeatReceived: () => {
      c.heartbeatsReceived++;
    },
    onHeartbeatLost: () => {
      c.fatal.push('no server activity within the heart-beat tolerance');
    },
    onStompError: frame => {
      c.errorFrames.push({ headers: { ...frame.headers }, body: frame.body });
      if (!expectError) {
        c.fatal.push(`ERROR frame ${JSON.stringify(frame.headers)} ${JSON.stringify(frame.body)}`);
      }
    },
    onWebSocketError: event => {
      if (!expectError) {
        c.fatal.push(`websocket error: ${event?.message ?? event?.error?.message ?? event}`);
      }
    },
    onWebSocketClose: event => {
      c.closes.push({ code: event.code, reason: event.reason, atMs: Date.now() - t0 });
      if (!expectError && c.deactivating !== true) {
        c.fatal.push(`websocket closed unexpectedly: ${event.code} ${event.reason}`);
      }
    },
    onDisconnect: frame => {
      c.disconnectReceipt = frame.headers['receipt-id'];
    },
    onUnhandledMessage: message => {
      c.unhandledMessages.push({ headers: { ...message.headers }, body: message.body });
    },
    onUnhandledReceipt: frame => {
      c.unhandledReceipts.push(frame.headers['receipt-id']);
    },
  });
  return c;
}

function watchReceipt(c, receiptId) {
  c.client.watchForReceipt(receiptId, frame => {
    c.receipts[receiptId] = { ...frame.headers };
  });
  return receiptId;
}

function inbox() {
  const messages = [];
  const handler = message => {
    messages.push({ headers: { ...message.headers }, body: message.body });
  };
  return { messages, handler, bodies: () => messages.map(m => m.body) };
}

function describeMessage(m) {
  return m && {
    body: m.body,
    contentType: m.headers['content-type'],
    destination: m.headers.destination,
    subscription: m.headers.subscription,
    messageId: m.headers['message-id'],
  };
}

async function step(name, body) {
  currentStep = name;
  note('--', `step ${name}`);
  return body();
}

async function main() {
  const a = stomp('A');
  const b = stomp('B');
  const both = [a, b];
  const result = { ok: true };

  await step('connect', async () => {
    a.client.activate();
    b.client.activate();
    await until('CONNECTED on both clients', () => a.connectedHeaders && b.connectedHeaders, both);
    result.protocol = { a: a.ws.protocol, b: b.ws.protocol };
    result.connectedVersion = { a: a.client.connectedVersion, b: b.client.connectedVersion };
    result.connected = { a: a.connectedHeaders, b: b.connectedHeaders };
  });

  const a1 = inbox();
  const b1 = inbox();
  let subA1;
  await step('subscribe', async () => {
    const ra = watchReceipt(a, 'a-sub-1');
    const rb = watchReceipt(b, 'b-sub-1');
    subA1 = a.client.subscribe(DESTINATION, a1.handler, { id: 'a-1', receipt: ra });
    b.client.subscribe(DESTINATION, b1.handler, { id: 'b-1', receipt: rb });
    await until('RECEIPT for both SUBSCRIBEs', () => a.receipts[ra] && b.receipts[rb], both);
    result.subscribeReceipts = [a.receipts[ra]['receipt-id'], b.receipts[rb]['receipt-id']];
  });

  const hello = 'hello from stompjs \u2713 {"x":1}';
  const contentType = 'text/plain;charset=utf-8';
  await step('publish', async () => {
    const r = watchReceipt(a, 'a-send-1');
    a.client.publish({ destination: DESTINATION, body: hello, headers: { 'content-type': contentType, receipt: r } });
    await until('RECEIPT for SEND and the MESSAGE on both clients',
      () => a.receipts[r] && a1.messages.length > 0 && b1.messages.length > 0, both);
    result.publish = {
      sent: { body: hello, contentType },
      receipt: a.receipts[r]['receipt-id'],
      sender: describeMessage(a1.messages[0]),
      other: describeMessage(b1.messages[0]),
    };
  });

  // @stomp/stompjs's own spec "Should receive messages with special chars in headers": a header of the SEND,
  // with every character 1.2 escapes, arrives unchanged on every subscription.
  const special = 'f:o:o\nbar\rbaz\\foo\nbar\rbaz\\';
  await step('headers', async () => {
    const r = watchReceipt(a, 'a-send-headers');
    a.client.publish({ destination: DESTINATION, body: 'special headers', headers: { cust: special, receipt: r } });
    await until('the MESSAGE with special chars in headers on both clients',
      () => a.receipts[r] && a1.bodies().includes('special headers') && b1.bodies().includes('special headers'), both);
    const cust = box => box.messages.find(m => m.body === 'special headers').headers.cust ?? null;
    result.headers = { sent: special, sender: cust(a1), other: cust(b1) };
  });

  await step('heartbeats', async () => {
    const before = both.map(c => ({ received: c.heartbeatsReceived, sent: c.heartbeatsSent }));
    const started = Date.now();
    // Deliberately idle: nothing but heart-beats may flow now. Any close or lost heart-beat fails the run.
    while (Date.now() - started < IDLE_MS) {
      await sleep(50);
      for (const c of both) {
        if (c.fatal.length > 0) {
          throw new Error(`${c.name} during the idle period: ${c.fatal.join('; ')}`);
        }
      }
    }
    const idleMs = Date.now() - started;
    const r = watchReceipt(b, 'b-send-idle');
    b.client.publish({ destination: DESTINATION, body: 'after idle', headers: { receipt: r } });
    await until('the message sent after the idle period on both clients',
      () => b.receipts[r] && a1.bodies().includes('after idle') && b1.bodies().includes('after idle'), both);
    result.heartbeats = {
      idleMs,
      a: { received: a.heartbeatsReceived - before[0].received, sent: a.heartbeatsSent - before[0].sent,
        connected: a.client.connected },
      b: { received: b.heartbeatsReceived - before[1].received, sent: b.heartbeatsSent - before[1].sent,
        connected: b.client.connected },
      deliveredAfterIdle: true,
    };
  });

  await step('unsubscribe', async () => {
    const a2 = inbox();
    const rs = watchReceipt(a, 'a-sub-2');
    a.client.subscribe(DESTINATION, a2.handler, { id: 'a-2', receipt: rs });
    await until('RECEIPT for the second SUBSCRIBE', () => a.receipts[rs], both);

    const countBefore = a1.messages.length;
    const ru = watchReceipt(a, 'a-unsub-1');
    subA1.unsubscribe({ receipt: ru });
    await until('RECEIPT for UNSUBSCRIBE', () => a.receipts[ru], both);

    const r2 = watchReceipt(b, 'b-send-2');
    b.client.publish({ destination: DESTINATION, body: 'after unsubscribe', headers: { receipt: r2 } });
    await until('"after unsubscribe" on the second subscription and on B',
      () => b.receipts[r2] && a2.bodies().includes('after unsubscribe') && b1.bodies().includes('after unsubscribe'),
      both);
    // A fence on the same connection: once it arrived, any late copy for the first subscription would have too.
    const r3 = watchReceipt(b, 'b-send-3');
    b.client.publish({ destination: DESTINATION, body: 'fence', headers: { receipt: r3 } });
    await until('"fence" on the second subscription', () => b.receipts[r3] && a2.bodies().includes('fence'), both);

    result.unsubscribe = {
      receipt: a.receipts[ru]['receipt-id'],
      secondSubscription: a2.bodies(),
      secondSubscriptionIds: a2.messages.map(m => m.headers.subscription),
      otherClient: b1.bodies(),
      firstSubscriptionAfterUnsubscribe: a1.bodies().slice(countBefore),
      unhandledForFirstSubscription: a.unhandledMessages.filter(m => m.headers.subscription === 'a-1')
        .map(m => m.body),
    };
  });

  await step('disconnect', async () => {
    for (const c of both) {
      c.deactivating = true;
      const started = Date.now();
      await Promise.race([
        c.client.deactivate(),
        sleep(STEP_TIMEOUT_MS).then(() => {
          throw new Error(`${c.name}: no RECEIPT for DISCONNECT / no close within ${STEP_TIMEOUT_MS}ms`);
        }),
      ]);
      result.disconnect = result.disconnect ?? {};
      result.disconnect[c.name.toLowerCase()] = {
        receiptId: c.disconnectReceipt,
        closed: c.ws.readyState === WebSocket.CLOSED,
        closeCode: c.closes.at(-1)?.code,
        tookMs: Date.now() - started,
      };
    }
  });

  await step('error', async () => {
    const c = stomp('C', { expectError: true });
    c.client.activate();
    await until('CONNECTED on the third client', () => c.connectedHeaders, [c]);
    c.client.subscribe(NOT_OPEN_DESTINATION, () => {}, { id: 'c-1' });
    await until('ERROR frame and close after subscribing to ' + NOT_OPEN_DESTINATION,
      () => c.errorFrames.length > 0 && c.closes.length > 0, [c]);
    result.error = {
      destination: NOT_OPEN_DESTINATION,
      frames: c.errorFrames,
      closeCode: c.closes[0].code,
      closedAfterMs: c.closes[0].atMs,
    };
    await c.client.deactivate();
  });

  result.unexpected = {
    unhandledReceipts: [...a.unhandledReceipts, ...b.unhandledReceipts],
    unhandledMessages: [...a.unhandledMessages, ...b.unhandledMessages].map(m => describeMessage(m)),
  };
  result.tookMs = Date.now() - t0;
  clearTimeout(totalTimer);
  process.stdout.write(JSON.stringify(result) + '\n');
  process.exit(0);
}

main().catch(fail);

// Measures what per-room channels save: CPU of a node with no member of a room while another node emits 5,000
// times to it (members: 20 clients on a third node). Run: npx tsx packages/redis-adapter/test/measure-room-channels.ts
import { cleanupPrefix, client, connected, NodeProcess, newPrefix, until } from "./cluster.js";

for (const rc of ["1", "0", "1", "0"]) {
  const prefix = newPrefix();
  const nodes = await Promise.all(
    ["A", "B", "C"].map((n) => NodeProcess.start(n, prefix, { LADDER_ROOM_CHANNELS: rc })),
  );
  const members = Array.from({ length: 20 }, (_, i) => client(nodes[2]!.url, "websocket", `m${i}`));
  await Promise.all(members.map(connected));
  for (const m of members) await m.socket.timeout(5000).emitWithAck("join", "r");
  const before = await nodes[1]!.call<number>("cpu");
  const beforeA = await nodes[0]!.call<number>("cpu");
  const N = 5000;
  for (let i = 0; i < N; i += 500)
    await Promise.all(
      Array.from({ length: 500 }, (_, j) => nodes[0]!.call("emit", { rooms: ["r"], ev: "x", args: [i + j] })),
    );
  await until(() => members.every((m) => m.got.filter(([e]) => e === "x").length === N), 30000, "all");
  const after = await nodes[1]!.call<number>("cpu");
  const afterA = await nodes[0]!.call<number>("cpu");
  console.log(
    `roomChannels=${rc}: non-member node B CPU ${(after - before).toFixed(0)} ms for ${N} room broadcasts; sender A ${(afterA - beforeA).toFixed(0)} ms`,
  );
  for (const m of members) m.socket.disconnect();
  await Promise.all(nodes.map((n) => n.stop()));
  await cleanupPrefix(prefix);
}
process.exit(0);

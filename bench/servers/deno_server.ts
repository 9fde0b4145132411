// The second benchmark target: Deno.serve with bodies from memory and an
// upload sink. Usage: deno run -A bench/servers/deno_server.ts <port>
const port = Number(Deno.args[0] ?? 19082);
const bodies: Record<string, Uint8Array<ArrayBuffer>> = {
  "/13b": new TextEncoder().encode("Hello, world!"),
  "/64k": new Uint8Array(65536).fill(120),
};
Deno.serve(
  { hostname: "127.0.0.1", port, onListen: () => {} },
  async (request) => {
    const path = new URL(request.url).pathname;
    if (request.method === "POST") {
      let n = 0;
      for await (const chunk of request.body ?? []) n += chunk.byteLength;
      return new Response(String(n));
    }
    const body = bodies[path];
    return body
      ? new Response(body)
      : new Response("not found", { status: 404 });
  },
);

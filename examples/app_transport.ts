/**
 * Calling a web app in process: `AppTransport` sends requests straight to
 * a fetch handler (what `Deno.serve`, Hono's `app.fetch` or Oak's
 * `app.handle` take), with no sockets. It is the Deno counterpart of
 * HTTPX's WSGI and ASGI transports (`Client(app=app)` in older HTTPX).
 *
 * Seeds: 001 "Calling into Python Web Apps" (Flask) and "Вызов
 * веб-приложений Python" (Starlette), 004 "Web App Testing" (Flask,
 * FastAPI).
 *
 * @module
 */

import * as httpx from "../mod.ts";
import { httpbinApp } from "./_server.ts";
import { runExample } from "./_main.ts";

// @app.route("/") def hello(): return "Hello World!"   (Flask)
function flaskLikeApp(request: Request): Response {
  if (new URL(request.url).pathname === "/") {
    return new Response("Hello World!");
  }
  return new Response("Not Found", { status: 404 });
}

// @app.get("/") async def root(): return {"message": "Tomato"}   (FastAPI)
async function fastApiLikeApp(request: Request): Promise<Response> {
  await Promise.resolve();
  if (request.method === "GET" && new URL(request.url).pathname === "/") {
    return Response.json({ message: "Tomato" });
  }
  return Response.json({ detail: "Not Found" }, { status: 404 });
}

// async def hello(request): return HTMLResponse("Hello World!")   (Starlette)
const starletteLikeApp = (_request: Request): Response =>
  new Response("Hello World!", {
    headers: { "content-type": "text/html; charset=utf-8" },
  });

/** Test three small apps, then the httpbin app, all in process. */
export async function main(baseUrl: string): Promise<void> {
  // with httpx.Client(app=app, base_url="http://testserver") as client:
  {
    await using client = new httpx.Client({
      transport: new httpx.AppTransport(flaskLikeApp),
      baseUrl: "http://testserver",
    });
    const r = await client.get("/");
    console.log("flask-like:", r.statusCode, JSON.stringify(r.text));
    console.assert(r.statusCode === 200 && r.text === "Hello World!");
  }

  // async with httpx.AsyncClient(app=app, base_url="http://test") as ac:
  {
    await using ac = new httpx.AsyncClient({
      transport: new httpx.AppTransport(fastApiLikeApp),
      baseUrl: "http://test",
    });
    const response = await ac.get("/");
    console.log("fastapi-like:", response.statusCode, response.json());
    const missing = await ac.get("/nope");
    console.log("fastapi-like /nope:", missing.statusCode, missing.json());
  }

  {
    await using client = new httpx.AsyncClient({
      transport: new httpx.AppTransport(starletteLikeApp),
      baseUrl: "http://testserver",
    });
    const r = await client.get("/");
    console.log(
      "starlette-like:",
      r.statusCode,
      r.headers.get("content-type"),
      r.text,
    );
  }

  // The app sees the client address, as Deno.serve's info argument has it.
  {
    const whoAmI = (_req: Request, info: httpx.AppHandlerInfo): Response =>
      new Response(`you are ${info.remoteAddr.hostname}`);
    const transport = new httpx.AppTransport(whoAmI, {
      remoteAddr: { hostname: "203.0.113.9", port: 4567 },
    });
    const r = await httpx.get("http://testserver/", { transport });
    console.log("remoteAddr:", r.text);
  }

  // An app error reaches the caller; raiseAppExceptions: false turns it
  // into a 500 response instead.
  {
    const broken = (): Response => {
      throw new Error("boom");
    };
    try {
      await httpx.get("http://testserver/", {
        transport: new httpx.AppTransport(broken),
      });
    } catch (error) {
      console.log("app error raised:", (error as Error).message);
    }
    const r = await httpx.get("http://testserver/", {
      transport: new httpx.AppTransport(broken, { raiseAppExceptions: false }),
    });
    console.log("raiseAppExceptions: false ->", r);
  }

  // The httpbin-like app these examples use, without its server. URLs
  // can name any host: nothing is resolved or connected.
  {
    await using client = new httpx.Client({
      transport: new httpx.AppTransport(httpbinApp),
      followRedirects: true,
    });
    const r = await client.get(
      "https://httpbin.org/cookies/set?chocolate=chip",
    );
    console.log("httpbin in process:", r.url, r.json(), r.history);
  }

  // Mount the app for one host and let the rest go to the network.
  {
    await using client = new httpx.Client({
      mounts: { "all://testserver": new httpx.AppTransport(flaskLikeApp) },
    });
    const local = await client.get("http://testserver/");
    const remote = await client.get(`${baseUrl}/get`);
    console.log("mounted:", local.text, "| network:", remote.statusCode);
  }
}

if (import.meta.main) await runExample(main);

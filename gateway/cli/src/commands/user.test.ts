import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { readPassword } from "./user";

describe("onecert user --password-stdin", () => {
  it("reads the whole of stdin, without the one line end a shell adds", async () => {
    expect(await readPassword(Readable.from(["correct horse ", "battery\n"]))).toBe("correct horse battery");
    expect(await readPassword(Readable.from(["with spaces at the end  \r\n"]))).toBe(
      "with spaces at the end  ",
    );
    await expect(readPassword(Readable.from(["\n"]))).rejects.toThrow("empty password");
  });
});

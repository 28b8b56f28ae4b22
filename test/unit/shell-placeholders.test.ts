import { describe, expect, it } from "vitest";
import { fillPlaceholders } from "../../components/shell/placeholders";
import { shellFile } from "../../components/shell/shell-file";

describe("filling a shell file's @@NAME@@ placeholders", () => {
  it("replaces a placeholder within a line by one line of text, and one alone on its line by whole lines", () => {
    const template = "replica=@@REPLICA@@\n@@PART@@\necho @@REPLICA@@ done\n";
    expect(fillPlaceholders(template, { REPLICA: "master-c", PART: "a\nb\n" })).toBe("replica=master-c\na\nb\necho master-c done\n");
  });

  it("drops the line of a whole-lines placeholder whose value is empty", () => {
    expect(fillPlaceholders("one\n@@PART@@\ntwo\n", { PART: "" })).toBe("one\ntwo\n");
  });

  it("never searches a value for placeholders of its own", () => {
    expect(() => fillPlaceholders("@@PART@@\n", { PART: "x=@@REPLICA@@\n" })).toThrow(/brought in the placeholder @@REPLICA@@/);
  });

  it("refuses a placeholder without a value and a value without a placeholder", () => {
    expect(() => fillPlaceholders("a=@@A@@ b=@@B@@\n", { A: "1" }, "x.sh")).toThrow("x.sh has the placeholder @@B@@, but no value was given for it");
    expect(() => fillPlaceholders("a=@@A@@\n", { A: "1", TYPO: "2" }, "x.sh")).toThrow("x.sh has no placeholder for @@TYPO@@");
  });

  it("refuses a newline within a line, and whole lines without their final newline", () => {
    expect(() => fillPlaceholders("echo @@A@@\n", { A: "1\n2" })).toThrow(/must not contain a newline/);
    expect(() => fillPlaceholders("@@PART@@\n", { PART: "no newline" })).toThrow(/must be empty or end with a newline/);
  });
});

describe("reading a shell file under components/", () => {
  it("reads it by its path relative to components/, once", () => {
    const text = shellFile("render/scripts/kube-ha-etcd.sh");
    expect(text.startsWith("#!/usr/bin/env bash\n")).toBe(true);
    expect(shellFile("render/scripts/kube-ha-etcd.sh")).toBe(text);
  });

  it("refuses a path that leaves components/ or is no .sh file, and says how a missing file gets there", () => {
    expect(() => shellFile("../package.json")).toThrow(/not a shell file path/);
    expect(() => shellFile("render/../../x.sh")).toThrow(/not a shell file path/);
    expect(() => shellFile("render/missing.sh")).toThrow(/cannot read its shell file .*render\/missing\.sh.*npm run build/);
  });
});

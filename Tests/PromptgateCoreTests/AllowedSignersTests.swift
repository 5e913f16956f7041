import Foundation
import TestSupport
import Testing

@testable import PromptgateCore

@Suite struct AllowedSignersTests {
  static let file = ".promptgate/allowed_signers"

  /// Two ed25519 keys and one ecdsa key made by ssh-keygen, with their `.pub` lines.
  struct Keys {
    let folder: SSHKeyFolder
    let alice: SSHPrivateKey
    let bob: SSHPrivateKey
    let carol: SSHPrivateKey
    var a: String { alice.publicKey.openSSH }
    var b: String { bob.publicKey.openSSH }
    var c: String { carol.publicKey.openSSH }

    init() throws {
      folder = try SSHKeyFolder()
      alice = try SSHPrivateKey.load(path: folder.makeKey("alice", type: "ed25519"))
      bob = try SSHPrivateKey.load(path: folder.makeKey("bob", type: "ed25519"))
      carol = try SSHPrivateKey.load(path: folder.makeKey("carol", type: "ecdsa"))
    }
  }

  static func date(_ text: String) -> Date {
    KeyTime.parse(text) ?? .distantPast
  }

  @Test func readsEveryOptionAndPattern() throws {
    let keys = try Keys()
    let text = """
      # reviewers of the support assistant

      alice@example.com \(keys.a) alice's laptop
        "bob@example.com,carol@example.com" namespaces="promptgate-approval,git",valid-after="20260101",valid-before="20261231235959Z" \(keys.c)
      *@example.com,!mallory@example.com NAMESPACES="promptgate-*",Valid-After="202601021030" \(keys.b)
      ops-?@example.com valid-before="20270101UTC" \(keys.b)

      """
    let (signers, diagnostics) = AllowedSigners.parse(text, file: Self.file)
    #expect(diagnostics == [])
    #expect(signers.file == Self.file)
    #expect(signers.entries.map(\.line) == [3, 4, 5, 6])
    let (alice, pair, wildcard, ops) = (
      signers.entries[0], signers.entries[1], signers.entries[2], signers.entries[3]
    )
    #expect(alice.principals == ["alice@example.com"])
    #expect(alice.namespaces == nil && alice.validAfter == nil && alice.validBefore == nil)
    #expect(alice.key == keys.alice.publicKey)
    #expect(pair.principals == ["bob@example.com", "carol@example.com"])
    #expect(pair.namespaces == ["promptgate-approval", "git"])
    #expect(pair.validAfter == Date(timeIntervalSince1970: 1_767_225_600))
    #expect(pair.validBefore == Date(timeIntervalSince1970: 1_798_761_599))
    #expect(pair.key == keys.carol.publicKey)
    #expect(wildcard.principals == ["*@example.com", "!mallory@example.com"])
    #expect(wildcard.namespaces == ["promptgate-*"])
    #expect(wildcard.validAfter == Date(timeIntervalSince1970: 1_767_349_800))
    #expect(ops.principals == ["ops-?@example.com"])
    #expect(ops.validBefore == Date(timeIntervalSince1970: 1_798_761_600))
  }

  @Test func reportsEachBadLineOnceWithItsPlace() throws {
    let keys = try Keys()
    let lines = [
      "alice@example.com \(keys.a)",
      "bob@example.com",
      "bob@example.com foo=\"x\" \(keys.b)",
      "bob@example.com namespaces=git \(keys.b)",
      "bob@example.com valid-after=\"2026\" \(keys.b)",
      "bob@example.com cert-authority \(keys.b)",
      "bob@example.com valid-after=\"20260101\",valid-after=\"20260102\" \(keys.b)",
      "bob@example.com valid-after=\"20260201\",valid-before=\"20260101\" \(keys.b)",
      "bob@example.com ssh-dss AAAAB3NzaC1kc3M=",
      "bob@example.com ssh-ed25519 AAA!notbase64",
      "\"bob@example.com \(keys.b)",
      "bob@example.com namespaces=\"git\", \(keys.b)",
      "bob@example.com namespaces=\"git \(keys.b)",
      "bob@example.com ssh-ed25591 AAAAC3NzaC1lZDI1NTE5",
      "bob@example.com,,carol@example.com \(keys.b)",
      "carol@example.com \(keys.c)",
    ]
    let (signers, diagnostics) = AllowedSigners.parse(lines.joined(separator: "\r\n"), file: Self.file)
    #expect(signers.entries.map(\.line) == [1, 16])
    let expected: [(Diagnostic.Severity, Int, Int, String)] = [
      (.error, 2, 1, "expected a key after the principals"),
      (.error, 3, 17, "unknown option \"foo\""),
      (.error, 4, 28, "namespaces needs a quoted value, as in namespaces=\"promptgate\""),
      (.error, 5, 29, "valid-after \"2026\" is not a time; write YYYYMMDD[HHMM[SS]][Z]"),
      (.warning, 6, 32, "cert-authority lines are not supported"),
      (.error, 7, 40, "valid-after appears twice"),
      (.error, 8, 1, "valid-before is not later than valid-after"),
      (.warning, 9, 17, "promptgate cannot verify ssh-dss keys, so this line is ignored"),
      (.error, 10, 29, "the ssh-ed25519 key is not valid base64"),
      (.error, 11, 1, "the principals' opening quote is never closed"),
      (.error, 12, 33, "the options end with a comma"),
      (.error, 13, 28, "the quote of namespaces is never closed"),
      (.error, 14, 17, "unknown option \"ssh-ed25591\""),
      (.error, 15, 1, "have an empty entry"),
    ]
    #expect(diagnostics.count == expected.count)
    for (diagnostic, (severity, line, column, text)) in zip(diagnostics, expected) {
      #expect(diagnostic.severity == severity, "\(diagnostic.formatted)")
      #expect(diagnostic.file == Self.file)
      #expect(diagnostic.location == SourceLocation(line: line, column: column), "\(diagnostic.formatted)")
      #expect(diagnostic.message.contains(text), "\(diagnostic.formatted)")
    }
  }

  @Test func saysWhyAKeyMayNotSign() throws {
    let keys = try Keys()
    let text = """
      alice@example.com \(keys.a)
      carol@example.com namespaces="git" \(keys.c)
      carol@example.com valid-after="20261201" \(keys.c)
      dave@example.com valid-before="20260101" \(keys.b)
      *@example.com,!mallory@example.com namespaces="promptgate-*" \(keys.b)
      erin@example.com namespaces="git" \(keys.a)
      erin@example.com \(keys.a)
      """
    let (signers, diagnostics) = AllowedSigners.parse(text, file: Self.file)
    #expect(diagnostics == [])
    let now = Self.date("20260615")
    func refusal(_ principal: String, _ key: SSHPrivateKey, _ namespace: String = SSHKeyFolder.namespace)
      -> String?
    {
      signers.refusal(principal: principal, key: key.publicKey, namespace: namespace, at: now)
    }
    #expect(refusal("alice@example.com", keys.alice) == nil)
    #expect(
      refusal("alice@example.com", keys.bob) == nil,
      "alice matches *@example.com with bob's key in a promptgate-* namespace")
    #expect(
      refusal("zed@example.com", keys.alice)
        == "the key \(keys.alice.publicKey.fingerprint) is not listed for zed@example.com in \(Self.file)")
    #expect(
      refusal("mallory@example.com", keys.bob)
        == "the key \(keys.bob.publicKey.fingerprint) is not listed for mallory@example.com in \(Self.file)")
    #expect(
      refusal("carol@example.com", keys.carol)
        == "the key of carol@example.com is not valid for namespace promptgate-approval")
    #expect(refusal("carol@example.com", keys.carol, "git") == nil)
    #expect(
      signers.refusal(
        principal: "carol@example.com", key: keys.carol.publicKey, namespace: "other",
        at: Self.date("20261130120000Z"))
        == "the key of carol@example.com is not valid for namespace other")
    #expect(
      signers.refusal(
        principal: "carol@example.com", key: keys.carol.publicKey, namespace: "git", at: Self.date("20270101")
      ) == nil)
    let lateText = "carol@example.com valid-after=\"20261201\" \(keys.c)"
    let late = AllowedSigners.parse(lateText, file: Self.file).0
    #expect(
      late.refusal(
        principal: "carol@example.com", key: keys.carol.publicKey, namespace: SSHKeyFolder.namespace, at: now)
        == "the key of carol@example.com is valid only after 2026-12-01")
    #expect(
      refusal("dave@example.com", keys.alice)
        == "the key \(keys.alice.publicKey.fingerprint) is not listed for dave@example.com in \(Self.file)")
    let expired = AllowedSigners.parse(
      "dave@example.com valid-before=\"202601011200\" \(keys.b)", file: Self.file
    ).0
    #expect(
      expired.refusal(
        principal: "dave@example.com", key: keys.bob.publicKey, namespace: SSHKeyFolder.namespace, at: now)
        == "the key of dave@example.com is valid only before 2026-01-01 12:00:00 UTC")
    #expect(
      refusal("erin@example.com", keys.alice) == nil, "a later line may allow what an earlier one does not")
  }

  /// The same file, principal, namespace and time must get the same verdict from ssh-keygen.
  @Test func agreesWithSSHKeygenVerify() throws {
    let keys = try Keys()
    let allowed = """
      alice@example.com \(keys.a)
      "*@example.com,!mallory@example.com" namespaces="promptgate-*" \(keys.b)
      b?b@example.com,carol@* valid-after="20260101Z",valid-before="20261231Z" \(keys.c)

      """
    let signers = AllowedSigners.parse(allowed, file: Self.file).0
    let message = "statement"
    for key in [keys.alice, keys.bob, keys.carol] {
      for namespace in [SSHKeyFolder.namespace, "git"] {
        let signature = try SSHSignature.sign(Array(message.utf8), namespace: namespace, with: key)
        for principal in [
          "alice@example.com", "mallory@example.com", "bob@example.com", "bxb@example.com",
          "carol@example.org", "dave@other.org",
        ] {
          for time in ["20250601000000Z", "20260601000000Z", "20270601000000Z"] {
            let ours =
              signers.refusal(
                principal: principal, key: key.publicKey, namespace: namespace, at: Self.date(time)) == nil
            let theirs = try keys.folder.openSSHVerifies(
              signature.armored, message: message, principal: principal, namespace: namespace,
              allowedSigners: allowed, extra: ["-Overify-time=\(time)"])
            #expect(ours == theirs, "\(principal) \(key.publicKey.algorithm) \(namespace) \(time)")
          }
        }
      }
    }
  }

  @Test func readsRevokedKeysAsSSHKeygenDoes() throws {
    let keys = try Keys()
    let fields = keys.b.split(separator: " ")
    let text = """
      # left the company
      \(keys.a) alice@example.com\r
        \(fields[0])\t\(fields[1])
      ssh-ed25519 nonsense
      """
    let (revoked, diagnostics) = RevokedKeys.parse(text, file: ".promptgate/revoked_keys")
    #expect(revoked.contains(keys.alice.publicKey))
    #expect(revoked.contains(try SSHPublicKey(openSSH: "\(keys.b) another comment")))
    #expect(!revoked.contains(keys.carol.publicKey))
    #expect(diagnostics.count == 1)
    #expect(diagnostics.first?.location == SourceLocation(line: 4, column: 13))
    #expect(diagnostics.first?.file == ".promptgate/revoked_keys")

    try keys.folder.write("revoked_keys", "\(keys.a)\n")
    let allowed = "alice@example.com \(keys.a)\nbob@example.com \(keys.b)\n"
    for (key, principal) in [(keys.alice, "alice@example.com"), (keys.bob, "bob@example.com")] {
      let signature = try SSHSignature.sign(Array("m".utf8), namespace: SSHKeyFolder.namespace, with: key)
      let accepted = try keys.folder.openSSHVerifies(
        signature.armored, message: "m", principal: principal, allowedSigners: allowed,
        extra: ["-r", "revoked_keys"])
      let listed = RevokedKeys.parse(try keys.folder.read("revoked_keys"), file: "revoked_keys").0
      #expect(accepted == !listed.contains(key.publicKey))
    }

    let krl = RevokedKeys.parse("SSHKRL\n\0binary", file: "revoked_keys").1
    #expect(
      krl.map(\.message) == [
        "binary key revocation lists are not supported; list revoked public keys one a line"
      ])
  }

  /// Every truncation of a busy line, and stray quotes and commas, give diagnostics, not crashes.
  @Test func survivesHostileLines() throws {
    let keys = try Keys()
    let line =
      "\"a@x,b@y\" namespaces=\"p-*,\\\"q\\\"\",valid-after=\"20260101Z\",cert-authority \(keys.c) c"
    let scalars = Array(line.unicodeScalars)
    for length in 0...scalars.count {
      var prefix = ""
      prefix.unicodeScalars.append(contentsOf: scalars.prefix(length))
      for text in [prefix, prefix + "\"", prefix + ",", prefix + "=\"", "\u{0}" + prefix] {
        let (signers, diagnostics) = AllowedSigners.parse(text, file: Self.file)
        #expect(signers.entries.isEmpty)
        #expect(diagnostics.count <= 1)
        _ = RevokedKeys.parse(text, file: Self.file)
      }
    }
  }

  @Test func matchesPatternsAsOpenSSHDoes() {
    #expect(KeyPattern.matchList("alice@example.com", ["*@example.com"]) == 1)
    #expect(KeyPattern.matchList("mallory@example.com", ["*@example.com", "!mallory@*"]) == -1)
    #expect(KeyPattern.matchList("mallory@example.com", ["!mallory@*", "*"]) == -1)
    #expect(KeyPattern.matchList("bob@example.com", ["b?b@example.com"]) == 1)
    #expect(KeyPattern.matchList("bb@example.com", ["b?b@example.com"]) == 0)
    #expect(KeyPattern.matchList("Alice@example.com", ["alice@example.com"]) == 0)
    #expect(KeyPattern.matchList("", ["*"]) == 1)
    #expect(
      KeyPattern.glob(Array(String(repeating: "a", count: 5000).utf8), Array("*a*a*a*a*a*a*b".utf8)) == false)
  }

  @Test func readsTimesInUTC() {
    #expect(KeyTime.parse("19700101") == Date(timeIntervalSince1970: 0))
    #expect(KeyTime.parse("20240229235959Z") == Date(timeIntervalSince1970: 1_709_251_199))
    #expect(KeyTime.parse("202402292359utc") == Date(timeIntervalSince1970: 1_709_251_140))
    for bad in ["20230229", "20261301", "2026010", "20260101240000", "2026-01-01", "", "Z", "２０２６０１０１"] {
      #expect(KeyTime.parse(bad) == nil, "\(bad)")
    }
    #expect(KeyTime.format(Date(timeIntervalSince1970: 1_764_547_200)) == "2025-12-01")
    #expect(KeyTime.format(Date(timeIntervalSince1970: 1_709_251_199)) == "2024-02-29 23:59:59 UTC")
  }
}

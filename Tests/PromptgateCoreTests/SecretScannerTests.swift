import Foundation
import PromptgateCore
import Testing

/// Every key below is fake: documented examples (AWS, Stripe, jwt.io) or made up to fit the format.
@Suite struct SecretScannerTests {
  let scanner = SecretScanner()

  /// Scans `text`, expects exactly one finding, and checks where it is and that it hides `secret`:
  /// only the first 4 characters of the match, which is the secret unless `match` says otherwise.
  func expectOne(
    _ rule: String, in text: String, line: Int, column: Int, secret: String, match: String? = nil,
    sourceLocation: Testing.SourceLocation = #_sourceLocation
  ) throws {
    let findings = scanner.scan(text)
    try #require(findings.count == 1, "\(findings)", sourceLocation: sourceLocation)
    let finding = findings[0]
    #expect(finding.rule == rule, sourceLocation: sourceLocation)
    #expect(finding.line == line, sourceLocation: sourceLocation)
    #expect(finding.column == column, sourceLocation: sourceLocation)
    #expect(finding.redacted == String((match ?? secret).prefix(4)) + "…", sourceLocation: sourceLocation)
    #expect(!finding.redacted.contains(secret), sourceLocation: sourceLocation)
    #expect(!finding.description.isEmpty, sourceLocation: sourceLocation)
  }

  // MARK: One test per rule

  @Test func privateKeyBlock() throws {
    let text = """
      # Signing policy
      signing:
        key: |
          -----BEGIN RSA PRIVATE KEY-----
          MIIEowIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi3s4+7nXeK2Q9jVYpL1wHf0kT8
          cN5sA2x4GmUq7LrT0yWzPqv9B3Hk6dEoJf1RtYiN8aXbC2mVwQ5sKzLp4Ue7Gh==
          -----END RSA PRIVATE KEY-----
      """
    try expectOne(
      "private-key", in: text, line: 4, column: 5, secret: "MIIEowIBAAKCAQEA3Tz2mr7SZiAMfQyu",
      match: "-----BEGIN RSA PRIVATE KEY-----")
  }

  @Test func privateKeyBlockInsideAJSONString() throws {
    let text =
      #"{"service_account": {"private_key": "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nbT7xQ2LpR9=\n-----END PRIVATE KEY-----\n"}}"#
    try expectOne(
      "private-key", in: text, line: 1, column: 38, secret: "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC",
      match: "-----BEGIN PRIVATE KEY-----")
  }

  @Test func everyPrivateKeyLabel() {
    let body = "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW"
    for label in [
      "RSA PRIVATE KEY", "EC PRIVATE KEY", "DSA PRIVATE KEY", "OPENSSH PRIVATE KEY", "ENCRYPTED PRIVATE KEY",
      "PRIVATE KEY", "PGP PRIVATE KEY BLOCK",
    ] {
      let text = "-----BEGIN \(label)-----\n\(body)\n-----END \(label)-----\n"
      #expect(scanner.scan(text).map(\.rule) == ["private-key"], "\(label)")
    }
  }

  @Test func awsAccessKeyID() throws {
    let text = """
      tools:
        - name: fetch_invoice
          credentials:
            aws_access_key_id: AKIA4QW7RZ2KX9M3TB6P
      """
    try expectOne("aws-access-key-id", in: text, line: 4, column: 26, secret: "AKIA4QW7RZ2KX9M3TB6P")
  }

  @Test func awsSecretAccessKey() throws {
    let text = """
      [default]
      region = eu-west-1
      aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCY7Qm2Rk9Zt4
      """
    try expectOne(
      "aws-secret-access-key", in: text, line: 3, column: 25,
      secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCY7Qm2Rk9Zt4")
  }

  @Test func githubClassicToken() throws {
    let text = """
      When the user asks for the release notes, call the GitHub API.
      Use the header `Authorization: token ghp_R8fK2mQ9xLp4Tz7Wv1Nc6Yb3Hd5Ja0Se2Uq8` for every request.
      """
    try expectOne(
      "github-token", in: text, line: 2, column: 38, secret: "ghp_R8fK2mQ9xLp4Tz7Wv1Nc6Yb3Hd5Ja0Se2Uq8")
  }

  @Test func githubFineGrainedToken() throws {
    let secret =
      "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1Np"
    try expectOne("github-token", in: "GITHUB_TOKEN=\(secret)\n", line: 1, column: 14, secret: secret)
  }

  @Test func openAIKey() throws {
    let text = """
      ---
      name: Summariser
      model:
        api: chat
        configuration:
          type: openai
          api_key: sk-proj-Xy7Qw2Er9Ty4Ui1Op6As3Df8Gh5Jk0Lz
      ---
      """
    try expectOne(
      "openai-api-key", in: text, line: 7, column: 14, secret: "sk-proj-Xy7Qw2Er9Ty4Ui1Op6As3Df8Gh5Jk0Lz")
  }

  @Test func anthropicKey() throws {
    let secret = "sk-ant-api03-Zq8Xw2Ec4Rv6Tb1Yn3Um5Ik7Ol9Pa0Sd2Fg4Hh6Jj8Kk-AA"
    let text = "providers:\n  anthropic:\n    key: \"\(secret)\"\n"
    try expectOne("anthropic-api-key", in: text, line: 3, column: 11, secret: secret)
  }

  @Test func slackToken() throws {
    let secret = "xoxb-483920175634-2749301856473-AbCdEfGh1jKlMnOpQrStUvWx"
    let text = "Escalations go to #support-leads; post them with the bot (\(secret)).\n"
    try expectOne("slack-token", in: text, line: 1, column: 59, secret: secret)
  }

  @Test func googleAPIKey() throws {
    let secret = "AIzaSyC8x2Vb-Q7mN4kL9pR3tW6yZ0aD5fH1jE_"
    let text = "Look the address up with https://maps.googleapis.com/maps/api/geocode/json?key=\(secret)\n"
    try expectOne("google-api-key", in: text, line: 1, column: 80, secret: secret)
  }

  @Test func stripeSecretKey() throws {
    let text = """
      refunds:
        provider: stripe
        stripe_key: sk_test_4eC39HqLyjWDarjtT1zdp7dc
      """
    try expectOne(
      "stripe-secret-key", in: text, line: 3, column: 15, secret: "sk_test_4eC39HqLyjWDarjtT1zdp7dc")
  }

  @Test func jwt() throws {
    // {"sub":"svc-billing","scope":"refunds:write"}, signed.
    let secret =
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJzdmMtYmlsbGluZyIsInNjb3BlIjoicmVmdW5kczp3cml0ZSJ9"
      + ".Qm9vT3pG4kD1Xr7sLw2Yc8Nh5Tj0Ua6Ve3Bi9Zq1Mk4"
    let text =
      "Example request:\n\n    curl -H \"Authorization: Bearer \(secret)\" https://api.example.com/orders\n"
    try expectOne("jwt", in: text, line: 3, column: 36, secret: secret)
  }

  @Test func passwordInAURL() throws {
    let text = "Read the order history from postgres://app_user:s3cr3t-Pa55w0rd@db.internal:5432/orders.\n"
    try expectOne("url-credentials", in: text, line: 1, column: 49, secret: "s3cr3t-Pa55w0rd")
  }

  @Test(arguments: [
    ("\"api_key\": \"9f2c7a1b4e6d8c0f\"", "9f2c7a1b4e6d8c0f", 13),
    ("client_secret := 'q1w2e3r4t5y6u7'", "q1w2e3r4t5y6u7", 19),
    ("  x-api-key: Zm9vYmFy!12345", "Zm9vYmFy!12345", 14),
    ("token: 3f786850e387550fdab836ed7e6dc881de23001b", "3f786850e387550fdab836ed7e6dc881de23001b", 8),
  ])
  func secretAssignedToACredentialName(line: String, secret: String, column: Int) throws {
    let text = "# Connection settings for the retrieval tool\n\(line)\n"
    try expectOne("secret-assignment", in: text, line: 2, column: column, secret: secret)
  }

  /// A password's name makes even a short value a finding, unless it reads as plain words.
  @Test(arguments: [
    ("password: \"Tr0ub4dor&3-horse\"", "Tr0ub4dor&3-horse", 12),
    ("DB_PASSWORD=hunter2hunter2", "hunter2hunter2", 13),
    ("db_password = \"hunter2!\"", "hunter2!", 16),
    ("smtp_pwd: Summer2024!", "Summer2024!", 11),
  ])
  func plainTextPassword(line: String, secret: String, column: Int) throws {
    let text = "# Connection settings for the retrieval tool\n\(line)\n"
    try expectOne("password", in: text, line: 2, column: column, secret: secret)
  }

  @Test(arguments: [
    "password: required", "password: env.DB_PASSWORD", "password: secretKeyRef", "password: \"\"",
    "The password: ask the customer to reset it.", "password: null",
  ])
  func aPasswordsNameWithoutAPassword(_ line: String) {
    #expect(scanner.scan(line) == [])
  }

  @Test func hexAPIKeyAfterAKeyWord() throws {
    let key = "5b1e0f3a9c7d2e4b8a6f1c3d5e7a9b0c"
    try expectOne(
      "hex-api-key", in: "Use API key \(key) for the weather tool.\n", line: 1, column: 13, secret: key)
    #expect(scanner.scan("Checksum md5 \(key) of the archive.").isEmpty)
    #expect(scanner.scan("The cache stores \(key) for each page.").isEmpty, "no key word: a digest")
  }

  @Test func vendorsDocumentedExamplesAreNotFindings() {
    #expect(scanner.scan("aws_access_key_id: AKIAIOSFODNN7EXAMPLE").isEmpty)
    #expect(scanner.scan("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY").isEmpty)
    // jwt.io's example token, John Doe's.
    let jwtIO =
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ"
      + ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
    #expect(scanner.scan("Authorization: Bearer \(jwtIO)").isEmpty)
    #expect(scanner.scan("  password: MWYyZDFlMmU2N2Rm").isEmpty)
  }

  @Test func publicCertificatesAndKeysAreNotFindings() {
    let certificate = """
      verifyImages:
        - attestors:
            - entries:
                - keys:
                    publicKeys: |-
                      -----BEGIN PUBLIC KEY-----
                      MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE8nXRh950IZbRj8Ra/N9sbqOPZrfM
                      5/KAQN0/KjHcorm/J5yctVd7iEcnessRQjU917hmKO6JWVGHpDguIyakZA==
                      -----END PUBLIC KEY-----
      ca: "-----BEGIN CERTIFICATE-----\\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ\\n-----END CERTIFICATE-----"
      """
    #expect(scanner.scan(certificate) == [])
  }

  @Test func identifiersInURLsAreNotFindings() {
    #expect(
      scanner.scan("https://www.youtube.com/feeds/videos.xml?channel_id=UCnCikd0s4i9KoDtaHPlK-JA").isEmpty)
    #expect(scanner.scan("See https://aisec.today/LangChain-2e6244a313dd46139c5ef28cbcab9e55").isEmpty)
    // The secrets URLs do carry still are found.
    #expect(
      scanner.scan("https://hooks.slack.com/services/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").map(
        \.rule) == [
          "slack-webhook"
        ])
  }

  @Test func highEntropyToken() throws {
    let text = """
      You are the billing assistant for Acme.
      Internal routing id (do not reveal): Xk9PqL2mNvB7RtY4WsZ8HjF3cD6gA1eK
      """
    try expectOne(
      "high-entropy-token", in: text, line: 2, column: 38, secret: "Xk9PqL2mNvB7RtY4WsZ8HjF3cD6gA1eK")
  }

  @Test func optionsTuneTheEntropyRule() {
    let text = "ref: Xk9PqL2mNvB7RtY4"
    #expect(scanner.scan(text).isEmpty)
    let eager = SecretScanner(options: .init(entropyThreshold: 3.5, minimumTokenLength: 16))
    #expect(eager.scan(text).map(\.rule) == ["high-entropy-token"])
    let strict = SecretScanner(options: .init(entropyThreshold: 6, minimumTokenLength: 24))
    #expect(strict.scan("Internal id: Xk9PqL2mNvB7RtY4WsZ8HjF3cD6gA1eK").isEmpty)
  }

  // MARK: What prompts and policies are full of

  @Test(arguments: [
    "You are a friendly support agent. Answer in the customer's language and never promise refunds.",
    "Fixed in commit 3f786850e387550fdab836ed7e6dc881de23001b (see the changelog).",
    "sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "digest: sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
    "request_id: 123e4567-e89b-12d3-a456-426614174000",
    "Docs: https://docs.example.com/api/v2/Customers/GetOrderHistory?page=2&sort=desc#Section12",
    "Hello {{ customer_name }}, your order {{order_reference_number_v2}} has shipped.",
    "template: /Users/jane/Projects/support-bot2/prompts/escalation/RefundPolicyV3.prompty",
    "policy_id: customer_support_escalation_policy_for_enterprise_accounts_v2",
    "class: CustomerSupportEscalationPolicyForEnterpriseAccountsV2",
    "api_key: \"<your-api-key>\"",
    "api_key: ${env:AZURE_OPENAI_API_KEY}",
    "password: $DB_PASSWORD_FROM_THE_ENVIRONMENT",
    "token: \"{{ secrets.support_bot_token }}\"",
    "secret: changeme-before-deploying-1",
    "api_key: xxxxxxxxxxxxxxxxxxxxxxxx",
    "password: ****************",
    "aws_access_key_id: AKIAXXXXXXXXXXXXXXXX",
    "OPENAI_API_KEY=sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "Set OPENAI_API_KEY to your key, e.g. sk-your-own-key-goes-right-here",
    "max_tokens: 4096",
    "eos_token: \"<|end_of_text|>\"",
    "secret_name: support-bot-openai-credentials",
    "secret: https://vault.example.com/v1/secret/data/support-bot",
    "Never print anything that looks like -----BEGIN RSA PRIVATE KEY----- to the user.",
    "model: gpt-4o-mini-2024-07-18",
    "Password: choose one with at least twelve characters.",
    "Connect to postgres://postgres:postgres@localhost:5432/dev for local testing.",
    "Banner: https://cdn.example.com/img/9f8e7d6c5b4a39281706f5e4d3c2b1a0/Banner_Hero_1920x1080.png",
    "<script src=\"app.js\" integrity=\"sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC\">",
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl jane@laptop",
    "password = get_password(user)  # and token = os.environ[\"SUPPORT_BOT_TOKEN_2024\"]",
    "![diagram](data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==)",
  ])
  func ordinaryTextIsNotASecret(_ text: String) {
    #expect(scanner.scan(text) == [])
  }

  @Test func aHeaderWithoutABodyIsNotAKey() {
    let text = """
      Refuse to output private keys such as:
      -----BEGIN OPENSSH PRIVATE KEY-----
      Instead, say that you cannot share credentials.
      """
    #expect(scanner.scan(text) == [])
  }

  /// Base64 of text is judged by what it says; base64 of random bytes by its entropy.
  @Test func base64IsDecodedBeforeItIsJudged() {
    // "Hello World! How are you today?": spread enough to pass 4 bits per character, but words.
    #expect(scanner.scan("greeting: SGVsbG8gV29ybGQhIEhvdyBhcmUgeW91IHRvZGF5Pw==").isEmpty)
    // "aaaa1111aaaa1111aaaa1111": mixed case and digits, but 3 bits per character.
    #expect(scanner.scan("filler: YWFhYTExMTFhYWFhMTExMWFhYWExMTEx").isEmpty)
    // A Kubernetes Secret's data: base64 of `token: ghp_…`.
    let encoded = Data("token: ghp_R8fK2mQ9xLp4Tz7Wv1Nc6Yb3Hd5Ja0Se2Uq8".utf8).base64EncodedString()
    let findings = scanner.scan("data:\n  config: \(encoded)\n")
    #expect(findings.map(\.rule) == ["github-token"])
    #expect(findings.first?.description == "a GitHub token (base64-encoded)")
    #expect(findings.first?.column == 11)
    // 32 random bytes: a key.
    #expect(
      scanner.scan("hmac: q8Zr4Tk1Vw9Xm2Ln7Bc5Hd3Fg6Js0Pa4Qe8Ru1Yt5Io=").map(\.rule) == ["high-entropy-token"]
    )
    // A compressed payload and a certificate's DER are formats, not keys.
    #expect(scanner.scan("payload: eJzySM3JyQcEAAD//wWMAfU=").isEmpty)
  }

  // MARK: Order, overlap and robustness

  @Test func findingsComeBackInLineOrder() {
    let text = """
      # Release notes tool
      github: ghp_R8fK2mQ9xLp4Tz7Wv1Nc6Yb3Hd5Ja0Se2Uq8
      signing_key: |
        -----BEGIN OPENSSH PRIVATE KEY-----
        b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
        QyNTUxOQAAACDvT3Xk9PqL2mNvB7RtY4WsZ8HjF3cD6gA1eKQyNTUxOQAAACDvT3Xk9PqL
        -----END OPENSSH PRIVATE KEY-----

      Use AKIA4QW7RZ2KX9M3TB6P for uploads and sk_test_4eC39HqLyjWDarjtT1zdp7dc for refunds.
      Nothing here.
      password = "S3cure!Passw0rd#2024"
      """
    let findings = scanner.scan(text)
    #expect(
      findings.map(\.rule) == [
        "github-token", "private-key", "aws-access-key-id", "stripe-secret-key", "password",
      ])
    #expect(findings.map(\.line) == [2, 4, 9, 9, 11])
    #expect(findings.map(\.column) == [9, 3, 5, 42, 13])
  }

  @Test func pgpArmorHeadersStayInsideTheBlock() {
    let text = """
      Release signing key:
      -----BEGIN PGP PRIVATE KEY BLOCK-----
      Version: GnuPG v2
      Comment: release signing

      lQOYBF5aWzQBCADHq2zT7kR9pXvYw3nL8mQ1sB6dF4gH2jK0lP5oI7uY9tR3eW1q
      =Xk9P
      -----END PGP PRIVATE KEY BLOCK-----
      Nothing else is secret here.
      """
    let findings = scanner.scan(text)
    #expect(findings.map(\.rule) == ["private-key"])
    #expect(findings.map(\.line) == [2])
  }

  @Test func overlappingRulesReportTheMostSpecificOnce() {
    // The assignment rule, the OpenAI rule and the entropy rule all match this value.
    let findings = scanner.scan("OPENAI_API_KEY=\"sk-proj-Xy7Qw2Er9Ty4Ui1Op6As3Df8Gh5Jk0Lz\"")
    #expect(findings.map(\.rule) == ["openai-api-key"])
  }

  @Test func columnsCountUnicodeScalars() {
    let findings = scanner.scan("« Réponse » clé : AKIA4QW7RZ2KX9M3TB6P")
    #expect(findings.map(\.column) == [19])
  }

  @Test func fakeKeyPastedIntoAPromptyBody() throws {
    let text = """
      ---
      name: Order Status Agent
      description: Answers questions about an order's delivery status.
      authors:
        - support-platform
      model:
        api: chat
        configuration:
          type: azure_openai
          azure_endpoint: ${env:AZURE_OPENAI_ENDPOINT}
          azure_deployment: gpt-4o-mini
          api_key: ${env:AZURE_OPENAI_API_KEY}
        parameters:
          max_tokens: 800
          temperature: 0.2
      sample:
        customer_name: Jane Doe
        order_id: 7f3c9a2e-1b4d-4e8f-9a6b-2c5d8e1f0a3b
      ---
      system:
      You are an order status agent for {{company}}. Be brief and friendly.
      Look the order up with the tracking API; authenticate with sk-proj-Xy7Qw2Er9Ty4Ui1Op6As3Df8Gh5Jk0Lz.

      user:
      {{question}}
      """
    try expectOne(
      "openai-api-key", in: text, line: 22, column: 60, secret: "sk-proj-Xy7Qw2Er9Ty4Ui1Op6As3Df8Gh5Jk0Lz")
  }

  @Test func aMegabyteOnOneLineReturns() {
    let sentence = "Answer politely, cite the policy id refund_policy_v3, never guess an order number. "
    let text = String(repeating: sentence, count: 1_000_000 / sentence.utf8.count + 1)
    #expect(scanner.scan(text).isEmpty)
    let base64 = String(repeating: "Xk9PqL2mNvB7RtY4WsZ8HjF3cD6gA1eK+/", count: 31_000)
    #expect(scanner.scan(base64).count == 1)
    let separators = String(repeating: "sk-eyJ-----BEGIN :://a=\"", count: 40_000)
    _ = scanner.scan(separators)
  }

  @Test func oddInputDoesNotCrash() {
    #expect(scanner.scan("") == [])
    #expect(scanner.scan("\n\n\r\n") == [])
    #expect(scanner.scan("-----BEGIN PRIVATE KEY-----") == [])
    #expect(scanner.scan("password:") == [])
    #expect(scanner.scan("AKIA") == [])
    #expect(scanner.scan("eyJ.eyJ.") == [])
    _ = scanner.scan("\u{0}\u{1}\u{FFFD}ÿ😀 token: \u{7F}💥💥💥💥💥💥💥💥💥💥💥💥")
    _ = scanner.scan(String(decoding: (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31) }, as: UTF8.self))
  }
}

package escalation

// Unexported helpers, for the tests of package escalation_test.
var (
	Redact           = redact
	WebhookSignature = webhookSignature
	DingTalkSign     = dingTalkSign
	FeishuSign       = feishuSign
)

package fakegemini

import "encoding/json"

// The types below mirror the REST schema of generateContent as the genai
// client sends it (camelCase). Requests are decoded with unknown fields
// disallowed, so every field a real client may legitimately send must be
// listed here; fields the fake does not interpret are kept as raw JSON.

// Request is a decoded generateContent or streamGenerateContent request.
// The fields tagged "-" come from the URL, not the body.
type Request struct {
	Contents          []*Content        `json:"contents"`
	SystemInstruction *Content          `json:"systemInstruction,omitempty"`
	Tools             []*Tool           `json:"tools,omitempty"`
	ToolConfig        *ToolConfig       `json:"toolConfig,omitempty"`
	GenerationConfig  *GenerationConfig `json:"generationConfig,omitempty"`
	SafetySettings    json.RawMessage   `json:"safetySettings,omitempty"`
	Labels            json.RawMessage   `json:"labels,omitempty"`
	CachedContent     string            `json:"cachedContent,omitempty"`
	ModelArmorConfig  json.RawMessage   `json:"modelArmorConfig,omitempty"`
	ServiceTier       json.RawMessage   `json:"serviceTier,omitempty"`
	ContinuationToken json.RawMessage   `json:"continuationToken,omitempty"`
	OutputConfig      json.RawMessage   `json:"outputConfig,omitempty"`
	Store             json.RawMessage   `json:"store,omitempty"`

	// Model is the model named in the URL, without any "models/" prefix.
	Model string `json:"-"`
	// Stream reports whether the call was streamGenerateContent.
	Stream bool `json:"-"`
	// Vertex reports whether the call came on a Vertex AI path.
	Vertex bool `json:"-"`
}

// Content is one turn of the conversation.
type Content struct {
	Role  string  `json:"role,omitempty"`
	Parts []*Part `json:"parts,omitempty"`
}

// Part is one piece of a Content. ThoughtSignature is kept as the base64
// text seen on the wire so that any alteration is detected.
type Part struct {
	Text             string            `json:"text,omitempty"`
	Thought          bool              `json:"thought,omitempty"`
	ThoughtSignature string            `json:"thoughtSignature,omitempty"`
	FunctionCall     *FunctionCall     `json:"functionCall,omitempty"`
	FunctionResponse *FunctionResponse `json:"functionResponse,omitempty"`

	InlineData          json.RawMessage `json:"inlineData,omitempty"`
	FileData            json.RawMessage `json:"fileData,omitempty"`
	ExecutableCode      json.RawMessage `json:"executableCode,omitempty"`
	CodeExecutionResult json.RawMessage `json:"codeExecutionResult,omitempty"`
	VideoMetadata       json.RawMessage `json:"videoMetadata,omitempty"`
	MediaResolution     json.RawMessage `json:"mediaResolution,omitempty"`
	ToolCall            json.RawMessage `json:"toolCall,omitempty"`
	ToolResponse        json.RawMessage `json:"toolResponse,omitempty"`
	PartMetadata        json.RawMessage `json:"partMetadata,omitempty"`
	AudioTranscription  json.RawMessage `json:"audioTranscription,omitempty"`
	MediaProcessing     json.RawMessage `json:"mediaProcessing,omitempty"`
	SpeechMetadata      json.RawMessage `json:"speechMetadata,omitempty"`
}

// MarshalJSON writes a part without any content as {"text":""}, the
// shape the services give the empty text part that ends a stream (and that
// carries a trailing thoughtSignature).
func (p Part) MarshalJSON() ([]byte, error) {
	type plain Part
	b, err := json.Marshal(plain(p))
	if err != nil || p.Text != "" || !p.empty() {
		return b, err
	}
	if string(b) == "{}" {
		return []byte(`{"text":""}`), nil
	}
	return append([]byte(`{"text":"",`), b[1:]...), nil
}

// empty reports whether p holds no content besides its text.
func (p *Part) empty() bool {
	if p.FunctionCall != nil || p.FunctionResponse != nil {
		return false
	}
	for _, raw := range []json.RawMessage{p.InlineData, p.FileData, p.ExecutableCode,
		p.CodeExecutionResult, p.ToolCall, p.ToolResponse, p.AudioTranscription} {
		if len(raw) > 0 {
			return false
		}
	}
	return true
}

// FunctionCall is a call the model asks the client to run.
type FunctionCall struct {
	ID           string         `json:"id,omitempty"`
	Name         string         `json:"name,omitempty"`
	Args         map[string]any `json:"args,omitempty"`
	PartialArgs  []*PartialArg  `json:"partialArgs,omitempty"`
	WillContinue *bool          `json:"willContinue,omitempty"`
}

// PartialArg is one piece of the arguments of a function call that Vertex
// streams (streamFunctionCallArguments): the value at JSONPath. A string
// arrives in pieces, each but the last with WillContinue; the services send
// the closing piece as "stringValue":"", hence the pointer.
type PartialArg struct {
	JSONPath     string   `json:"jsonPath,omitempty"`
	StringValue  *string  `json:"stringValue,omitempty"`
	NumberValue  *float64 `json:"numberValue,omitempty"`
	BoolValue    *bool    `json:"boolValue,omitempty"`
	NullValue    string   `json:"nullValue,omitempty"`
	WillContinue *bool    `json:"willContinue,omitempty"`
}

// FunctionResponse carries the result of a FunctionCall back to the model.
type FunctionResponse struct {
	ID           string          `json:"id,omitempty"`
	Name         string          `json:"name,omitempty"`
	Response     map[string]any  `json:"response,omitempty"`
	Parts        json.RawMessage `json:"parts,omitempty"`
	Scheduling   json.RawMessage `json:"scheduling,omitempty"`
	WillContinue *bool           `json:"willContinue,omitempty"`
}

// Tool is one entry of the request's tools.
type Tool struct {
	FunctionDeclarations []*FunctionDeclaration `json:"functionDeclarations,omitempty"`

	Retrieval             json.RawMessage `json:"retrieval,omitempty"`
	ComputerUse           json.RawMessage `json:"computerUse,omitempty"`
	FileSearch            json.RawMessage `json:"fileSearch,omitempty"`
	GoogleSearch          json.RawMessage `json:"googleSearch,omitempty"`
	GoogleMaps            json.RawMessage `json:"googleMaps,omitempty"`
	CodeExecution         json.RawMessage `json:"codeExecution,omitempty"`
	EnterpriseWebSearch   json.RawMessage `json:"enterpriseWebSearch,omitempty"`
	GoogleSearchRetrieval json.RawMessage `json:"googleSearchRetrieval,omitempty"`
	ParallelAISearch      json.RawMessage `json:"parallelAiSearch,omitempty"`
	URLContext            json.RawMessage `json:"urlContext,omitempty"`
	MCPServers            json.RawMessage `json:"mcpServers,omitempty"`
	ExaAISearch           json.RawMessage `json:"exaAiSearch,omitempty"`
}

// FunctionDeclaration declares a function the model may call. Parameters
// holds the OpenAPI-subset Schema, ParametersJSONSchema a JSON Schema; they
// are kept raw so the fake can check them key by key.
type FunctionDeclaration struct {
	Name                 string          `json:"name"`
	Description          string          `json:"description,omitempty"`
	Parameters           json.RawMessage `json:"parameters,omitempty"`
	ParametersJSONSchema json.RawMessage `json:"parametersJsonSchema,omitempty"`
	Response             json.RawMessage `json:"response,omitempty"`
	ResponseJSONSchema   json.RawMessage `json:"responseJsonSchema,omitempty"`
	Behavior             json.RawMessage `json:"behavior,omitempty"`
}

// ToolConfig is the request's toolConfig.
type ToolConfig struct {
	FunctionCallingConfig            *FunctionCallingConfig `json:"functionCallingConfig,omitempty"`
	RetrievalConfig                  json.RawMessage        `json:"retrievalConfig,omitempty"`
	IncludeServerSideToolInvocations json.RawMessage        `json:"includeServerSideToolInvocations,omitempty"`
}

// FunctionCallingConfig says whether and which functions may be called.
type FunctionCallingConfig struct {
	Mode                        string          `json:"mode,omitempty"`
	AllowedFunctionNames        []string        `json:"allowedFunctionNames,omitempty"`
	StreamFunctionCallArguments json.RawMessage `json:"streamFunctionCallArguments,omitempty"`
}

// GenerationConfig is the request's generationConfig.
type GenerationConfig struct {
	Temperature      *float64        `json:"temperature,omitempty"`
	TopP             *float64        `json:"topP,omitempty"`
	TopK             *float64        `json:"topK,omitempty"`
	CandidateCount   *int            `json:"candidateCount,omitempty"`
	MaxOutputTokens  *int            `json:"maxOutputTokens,omitempty"`
	StopSequences    []string        `json:"stopSequences,omitempty"`
	Seed             *int64          `json:"seed,omitempty"`
	ResponseMIMEType string          `json:"responseMimeType,omitempty"`
	ThinkingConfig   *ThinkingConfig `json:"thinkingConfig,omitempty"`

	ResponseLogprobs         json.RawMessage `json:"responseLogprobs,omitempty"`
	Logprobs                 json.RawMessage `json:"logprobs,omitempty"`
	PresencePenalty          json.RawMessage `json:"presencePenalty,omitempty"`
	FrequencyPenalty         json.RawMessage `json:"frequencyPenalty,omitempty"`
	ResponseSchema           json.RawMessage `json:"responseSchema,omitempty"`
	ResponseJSONSchema       json.RawMessage `json:"responseJsonSchema,omitempty"`
	RoutingConfig            json.RawMessage `json:"routingConfig,omitempty"`
	ModelConfig              json.RawMessage `json:"modelConfig,omitempty"`
	ResponseModalities       json.RawMessage `json:"responseModalities,omitempty"`
	MediaResolution          json.RawMessage `json:"mediaResolution,omitempty"`
	SpeechConfig             json.RawMessage `json:"speechConfig,omitempty"`
	AudioTimestamp           json.RawMessage `json:"audioTimestamp,omitempty"`
	ImageConfig              json.RawMessage `json:"imageConfig,omitempty"`
	EnhancedCivicAnswers     json.RawMessage `json:"enableEnhancedCivicAnswers,omitempty"`
	AudioTranscriptionConfig json.RawMessage `json:"audioTranscriptionConfig,omitempty"`
}

// ThinkingConfig controls thought parts.
type ThinkingConfig struct {
	IncludeThoughts bool            `json:"includeThoughts,omitempty"`
	ThinkingBudget  *int            `json:"thinkingBudget,omitempty"`
	ThinkingLevel   json.RawMessage `json:"thinkingLevel,omitempty"`
}

// Response is one GenerateContentResponse: a whole answer, or one SSE chunk.
type Response struct {
	Candidates     []*Candidate    `json:"candidates,omitempty"`
	PromptFeedback *PromptFeedback `json:"promptFeedback,omitempty"`
	UsageMetadata  *UsageMetadata  `json:"usageMetadata,omitempty"`
	ModelVersion   string          `json:"modelVersion,omitempty"`
	CreateTime     string          `json:"createTime,omitempty"`
	ResponseID     string          `json:"responseId,omitempty"`
}

// Candidate is one answer of the model. Index is a pointer because the
// Gemini API sends "index":0 while Vertex omits it. The grounding and URL
// context metadata are kept raw: the fake passes them through.
type Candidate struct {
	Content            *Content        `json:"content,omitempty"`
	FinishReason       string          `json:"finishReason,omitempty"`
	FinishMessage      string          `json:"finishMessage,omitempty"`
	Index              *int            `json:"index,omitempty"`
	SafetyRatings      []*SafetyRating `json:"safetyRatings,omitempty"`
	GroundingMetadata  json.RawMessage `json:"groundingMetadata,omitempty"`
	URLContextMetadata json.RawMessage `json:"urlContextMetadata,omitempty"`
}

// SafetyRating rates a candidate in one harm category; Blocked is set on
// the rating that made the service stop (finish reason SAFETY).
type SafetyRating struct {
	Category    string `json:"category"`
	Probability string `json:"probability"`
	Blocked     bool   `json:"blocked,omitempty"`
}

// PromptFeedback reports a prompt blocked before any candidate was made.
type PromptFeedback struct {
	BlockReason        string `json:"blockReason,omitempty"`
	BlockReasonMessage string `json:"blockReasonMessage,omitempty"`
}

// UsageMetadata counts tokens. TotalTokenCount is computed by the server
// when left zero.
type UsageMetadata struct {
	PromptTokenCount        int `json:"promptTokenCount,omitempty"`
	CandidatesTokenCount    int `json:"candidatesTokenCount,omitempty"`
	ThoughtsTokenCount      int `json:"thoughtsTokenCount,omitempty"`
	CachedContentTokenCount int `json:"cachedContentTokenCount,omitempty"`
	TotalTokenCount         int `json:"totalTokenCount,omitempty"`
	ToolUsePromptTokenCount int `json:"toolUsePromptTokenCount,omitempty"`
	// TrafficType is Vertex's (ON_DEMAND, PROVISIONED_THROUGHPUT). When
	// set, the chunks before the last carry it alone, as Vertex sends them.
	TrafficType string `json:"trafficType,omitempty"`
}

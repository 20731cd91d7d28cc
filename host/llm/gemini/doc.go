// Package gemini implements [llm.Provider] on Google's Gemini models, through
// google.golang.org/genai, for both Vertex AI and the Gemini API.
//
// A [Provider] translates one [llm.Request] into a streamGenerateContent call
// and the streamed answer back into [llm.Delta] values:
//
//   - System instructions become the request's SystemInstruction; user and
//     tool messages become "user" contents and assistant messages "model"
//     contents, the only two roles Gemini accepts. Consecutive tool messages
//     become one content holding every function response in call order.
//   - Each tool call keeps Gemini's thought signature and call id, and they
//     are sent back unchanged in later turns: Gemini 3 rejects a function call
//     in the history whose signature is missing.
//   - Function-call arguments streamed in pieces (partialArgs, Vertex only)
//     are assembled; a delta always carries complete calls.
//   - Thought parts are reasoning, never text, and are yielded only when the
//     request asks for them.
//   - The finish reason is computed, not copied: Gemini says STOP after
//     function calls, and OpenAI clients expect "tool_calls".
//
// The caller builds the *genai.Client (host/backend does it from the
// environment: backend.Config.GenaiConfig), so the same code
// talks to Vertex AI, the Gemini API, a recorded cassette or a fake server.
package gemini

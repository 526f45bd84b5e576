import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

export class RotateProductApi implements ICredentialType {
	name = 'rotateProductApi';

	displayName = 'RotateProduct API';

	icon: Icon = {
		light: 'file:../nodes/RotateProduct/rotateProduct.svg',
		dark: 'file:../nodes/RotateProduct/rotateProduct.dark.svg',
	};

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-rotateproduct-colossyan#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'Create one in your RotateProduct account under API settings. It is shown only once, so copy it right away.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://rotateproduct.com/api/v1',
			description:
				'Leave as it is unless you go through a proxy or point n8n at the local simulator (npm run simulators)',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiKey}}',
			},
		},
	};

	// GET /credits costs nothing and needs a valid key.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/credits',
			method: 'GET',
			// n8n's helper would carry the key along any redirect, to any origin: a
			// Base URL that redirects fails the test instead.
			disableFollowRedirect: true,
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message: 'RotateProduct rejected the API key. Copy it again from your account\'s API settings.',
				},
			},
		],
	};
}

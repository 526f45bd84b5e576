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

	documentationUrl = 'https://github.com/n8n-nodes-rotateproduct-colossyan/n8n-nodes-rotateproduct-colossyan#credentials';

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
				'Leave as it is unless your requests go through a proxy. If the test says ENOTFOUND, n8n cannot find this host name: check its spelling and that n8n\'s machine can reach rotateproduct.com. ECONNREFUSED: nothing answers at that address.',
		},
		{
			// Shown as soon as the address carries a login: axios would send it instead of the API key.
			displayName:
				'Remove the user name and password from the Base URL. The API key is the only login RotateProduct needs, and a "user:password@" in the address would be sent instead of it.',
			name: 'baseUrlLoginNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: { baseUrl: [{ _cnd: { regex: '^[^:/?#]+://[^/?#]*@' } }] } },
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
					message:
						'RotateProduct rejected the API key. Copy it again from your account\'s API settings, and check that the Base URL has no "user:password@" in it.',
				},
			},
		],
	};
}

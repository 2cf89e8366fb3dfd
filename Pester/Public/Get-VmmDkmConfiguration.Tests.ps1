BeforeAll {
    Import-Module (Join-Path (Split-Path $PSScriptRoot -Parent) 'Support/VmmTestKit.psm1') -Force
    Import-VmmTestModule
    $settingsKey = 'HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Microsoft System Center Virtual Machine Manager Server\Settings'
}

AfterAll { Remove-VmmTestModule }

Describe 'Get-VmmDkmConfiguration' {
    It 'reports the DKM container read from the VMM settings key, and to back up Active Directory' {
        Mock -ModuleName VmmBackup Read-VmmRegistryTree {
            [pscustomobject]@{ Path = $Path; Values = @(
                    [pscustomobject]@{ Name = 'IndigoTcpPort'; Kind = 'DWord'; Data = [uint32]8100 }
                    [pscustomobject]@{ Name = 'TopContainerName'; Kind = 'String'; Data = "CN=VMM's DKM],OU=Keys;,DC=contoso,DC=test" }
                ) }
        }
        $result = Get-VmmDkmConfiguration
        { Assert-VmmOutputSchema $result 'Get-VmmDkmConfiguration' } | Should -Not -Throw
        $result.Configured | Should -BeTrue
        $result.Container | Should -Be "CN=VMM's DKM],OU=Keys;,DC=contoso,DC=test"
        $result.Instruction | Should -Match 'Back up Active Directory'
        $result.Instruction | Should -Match ([regex]::Escape("CN=VMM's DKM],OU=Keys;,DC=contoso,DC=test"))
        Should -Invoke -ModuleName VmmBackup Read-VmmRegistryTree -Times 1 -Exactly -ParameterFilter { $Path -eq $settingsKey -and $NoRecurse }
    }

    It 'reports DKM as not configured when the value is absent or empty' -ForEach @(
        @{ Values = @() }, @{ Values = @([pscustomobject]@{ Name = 'TopContainerName'; Kind = 'String'; Data = '' }) }
    ) {
        $script:values = $Values
        Mock -ModuleName VmmBackup Read-VmmRegistryTree { [pscustomobject]@{ Path = $Path; Values = $script:values } }
        $result = Get-VmmDkmConfiguration
        $result.Configured | Should -BeFalse
        $result.Container | Should -BeNullOrEmpty
        $result.Instruction | Should -Match 'DKM is not configured'
        { Assert-VmmOutputSchema $result 'Get-VmmDkmConfiguration' } | Should -Not -Throw
    }

    It 'fails clearly when the VMM settings key does not exist' {
        Mock -ModuleName VmmBackup Read-VmmRegistryTree { }
        { Get-VmmDkmConfiguration } | Should -Throw '*does not exist on this computer*VMM management server*'
    }

    It 'fails clearly when the registry cannot be read' {
        Mock -ModuleName VmmBackup Read-VmmRegistryTree { throw 'Requested registry access is not allowed.' }
        { Get-VmmDkmConfiguration } | Should -Throw '*Cannot read the VMM settings*registry access is not allowed*'
    }
}

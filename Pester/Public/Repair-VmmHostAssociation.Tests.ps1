BeforeAll {
    Import-Module (Join-Path (Split-Path $PSScriptRoot -Parent) 'Support/VmmTestKit.psm1') -Force
    Import-VmmTestModule
    $credential = New-Object System.Management.Automation.PSCredential -ArgumentList 'CONTOSO\vmmadmin', (ConvertTo-SecureString -String 'not-a-secret' -AsPlainText -Force)
}

AfterAll { Remove-VmmTestModule }

Describe 'Repair-VmmHostAssociation' {
    BeforeEach {
        Reset-VmmStub
        Set-VmmStubBehavior Get-SCVMMManagedComputer {
            New-VmmStubObject VMMManagedComputer @{ Name = 'hv01'; FQDN = 'hv01.contoso.test'; State = 'AccessDenied' }
            New-VmmStubObject VMMManagedComputer @{ Name = 'hv02'; FQDN = 'hv02.contoso.test'; State = 'Responding' }
            New-VmmStubObject VMMManagedComputer @{ Name = "lib'01;]"; FQDN = "lib'01;].contoso.test"; State = 'AccessDenied' }
        }
    }

    It 'reassociates every Access Denied computer with Register-SCVMMManagedComputer -Credential' {
        $results = @(Repair-VmmHostAssociation -Credential $credential -VMMServer vmm01 -Confirm:$false)
        $results.Count | Should -Be 2
        foreach ($result in $results) {
            { Assert-VmmOutputSchema $result 'Repair-VmmHostAssociation' } | Should -Not -Throw
            $result.State | Should -Be 'Succeeded'
            $result.PreviousState | Should -Be 'AccessDenied'
        }
        $results.ComputerName | Should -Be @('hv01.contoso.test', "lib'01;].contoso.test")
        $calls = @(Get-VmmStubCall -CommandName Register-SCVMMManagedComputer)
        $calls.Count | Should -Be 2
        $calls[0].BoundParameters['VMMManagedComputer'].FQDN | Should -Be 'hv01.contoso.test'
        $calls[0].BoundParameters['Credential'] | Should -Be $credential
    }

    It 'handles only the computers named, and says why one needs nothing' {
        $results = @(Repair-VmmHostAssociation -Credential $credential -ComputerName 'hv01', 'hv02.contoso.test' -VMMServer vmm01 -Confirm:$false)
        ($results | Where-Object ComputerName -EQ 'hv01.contoso.test').State | Should -Be 'Succeeded'
        ($results | Where-Object ComputerName -EQ 'hv02.contoso.test').State | Should -Be 'Skipped'
        @(Get-VmmStubCall -CommandName Register-SCVMMManagedComputer).Count | Should -Be 1
    }

    It 'writes an error for a computer VMM does not manage' {
        $null = Repair-VmmHostAssociation -Credential $credential -ComputerName 'ghost' -VMMServer vmm01 -ErrorVariable errors -ErrorAction SilentlyContinue
        "$($errors[-1])" | Should -Match "no computer named 'ghost'"
        Get-VmmMutatingCall | Should -BeNullOrEmpty
    }

    It 'reports a failed reassociation as Failed with an error, and goes on' {
        Set-VmmStubBehavior Register-SCVMMManagedComputer {
            param($Call)
            if ($Call.BoundParameters['VMMManagedComputer'].Name -eq 'hv01') { throw 'Error (2927): WinRM cannot reach hv01.' }
            $Call.BoundParameters['VMMManagedComputer']
        }
        $results = @(Repair-VmmHostAssociation -Credential $credential -VMMServer vmm01 -Confirm:$false -ErrorVariable errors -ErrorAction SilentlyContinue)
        $results[0].State | Should -Be 'Failed'
        $results[0].Message | Should -Match '2927'
        $results[1].State | Should -Be 'Succeeded'
        @($errors | Where-Object { "$_" -match "Cannot reassociate 'hv01.contoso.test'" }).Count | Should -Be 1
    }

    It 'changes nothing with -WhatIf' {
        $results = Repair-VmmHostAssociation -Credential $credential -VMMServer vmm01 -WhatIf
        $results | Should -BeNullOrEmpty
        Get-VmmMutatingCall | Should -BeNullOrEmpty
    }

    It 'fails clearly when the managed computers cannot be listed' {
        Set-VmmStubBehavior Get-SCVMMManagedComputer { throw 'Not authorized.' }
        { Repair-VmmHostAssociation -Credential $credential -VMMServer vmm01 } | Should -Throw '*Cannot list the managed computers*Not authorized*'
    }
}
